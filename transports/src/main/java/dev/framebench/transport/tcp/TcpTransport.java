package dev.framebench.transport.tcp;

import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.ChannelIo;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.socket.IoMode;
import dev.framebench.transport.socket.SenderGate;
import dev.framebench.transport.socket.Sockets;
import dev.framebench.transport.socket.StreamFrameReceiver;
import dev.framebench.transport.socket.StreamFrameSender;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tcp}: JDK NIO {@link SocketChannel} with TCP_NODELAY, frames as header and payload back to back.
 * Binds 127.0.0.1 unless {@code listen} names another address. Each frame crosses two copies the kernel
 * makes (sender user to kernel, kernel to receiver user) and the loopback stack.
 */
public final class TcpTransport implements Transport {
    static final String LISTEN = "listen";
    static final String IO = "tcp.io";
    static final String SOCKET_BUFFER_BYTES = "tcp.socketBufferBytes";
    /** Measured on 2 cores (docs/METHOD.md): blocking reads were no slower and use fewer syscalls. */
    static final IoMode DEFAULT_IO = IoMode.BLOCKING;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String description() {
        return "JDK NIO SocketChannel over loopback, TCP_NODELAY; copies user->kernel->user";
    }

    @Override
    public int copiesPerFrame() {
        // The sender writes straight from the pooled frame (StreamFrameSender.send); the kernel copies it into the socket
        // buffer, and out of it into the receiver's buffer (StreamFrameReceiver): 2.
        return 2;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(LISTEN, "receiver address HOST:PORT (default 127.0.0.1:0, a free loopback port)");
        options.put(IO, "blocking | selector: how sockets wait (default " + DEFAULT_IO.modeName() + ")");
        options.put(SOCKET_BUFFER_BYTES, "SO_SNDBUF/SO_RCVBUF in bytes, 0 = kernel autotuning (default 0)");
        return options;
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        IoMode.byName(options.getChoice(IO, DEFAULT_IO.modeName(), IoMode.NAMES));
        options.getInt(SOCKET_BUFFER_BYTES, 0, 0, 1 << 30);
        InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0"));
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        IoMode io = IoMode.byName(options.getChoice(IO, DEFAULT_IO.modeName(), IoMode.NAMES));
        int bufferBytes = options.getInt(SOCKET_BUFFER_BYTES, 0, 0, 1 << 30);
        InetSocketAddress listen = InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0"));
        try {
            ServerSocketChannel server = Sockets.listen(listen, bufferBytes);
            return new TcpReceiver(server, io, bufferBytes, options.token());
        } catch (IOException e) {
            throw new TransportException("cannot open a TCP listener on " + InetAddresses.format(listen) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        IoMode io = IoMode.byName(options.getChoice(IO, DEFAULT_IO.modeName(), IoMode.NAMES));
        int bufferBytes = options.getInt(SOCKET_BUFFER_BYTES, 0, 0, 1 << 30);
        InetSocketAddress address = InetAddresses.parse("endpoint", endpoint);
        long deadline = Deadline.after(CONNECT_TIMEOUT);
        SocketChannel channel = Sockets.connect(address, deadline, "tcp://" + endpoint);
        try {
            configure(channel, bufferBytes);
        } catch (IOException e) {
            Sockets.closeQuietly(channel);
            throw new TransportException("cannot configure TCP socket to " + endpoint + ": " + e.getMessage(), e);
        }
        ChannelIo connection = ChannelIo.of(channel, io, "receiver tcp://" + endpoint);
        try {
            connection.presentHello(options.token(), deadline);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return new StreamFrameSender(connection);
    }

    static void configure(SocketChannel channel, int bufferBytes) throws IOException {
        // One frame is many segments; Nagle would hold back the last partial one of every frame.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (bufferBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, bufferBytes);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
        }
    }

    private static final class TcpReceiver extends StreamFrameReceiver {
        private final int bufferBytes;
        private final String endpoint;
        private final SenderGate gate;

        TcpReceiver(ServerSocketChannel server, IoMode io, int bufferBytes, RunToken token) throws IOException {
            super(io, token == null);
            this.bufferBytes = bufferBytes;
            this.endpoint = InetAddresses.format((InetSocketAddress) server.getLocalAddress());
            this.gate = SenderGate.open(server, "tcp", "tcp://" + endpoint, token, null);
        }

        @Override
        public String endpoint() {
            return endpoint;
        }

        @Override
        protected ChannelIo acceptSender(IoMode mode, long deadlineNanos) {
            SocketChannel channel = gate.awaitSender(deadlineNanos);
            try {
                configure(channel, bufferBytes);
            } catch (IOException e) {
                Sockets.closeQuietly(channel);
                throw new TransportException("cannot configure accepted TCP socket on " + endpoint + ": " + e.getMessage(), e);
            }
            return ChannelIo.of(channel, mode, "sender on tcp://" + endpoint);
        }

        @Override
        public int foreignConnectionsRefused() {
            return gate.refused();
        }

        @Override
        public void close() {
            gate.close();
            super.close();
        }
    }
}
