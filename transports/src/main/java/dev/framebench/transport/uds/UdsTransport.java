package dev.framebench.transport.uds;

import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.ChannelIo;
import dev.framebench.transport.socket.IoMode;
import dev.framebench.transport.socket.ListenerGuard;
import dev.framebench.transport.socket.Sockets;
import dev.framebench.transport.socket.StreamFrameReceiver;
import dev.framebench.transport.socket.StreamFrameSender;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The Unix-domain stream transports: frames as header and payload back to back on a {@code SOCK_STREAM}
 * socket file, exactly as tcp carries them, without the IP stack. Each frame still crosses two copies the
 * kernel makes (sender user to kernel, kernel to receiver user). The transports differ only in who opens
 * the channels (the JDK, or junixsocket's JNI library); socket files, framing, deadlines and the one-sender
 * rule are shared. The endpoint is the socket file's absolute path.
 */
abstract sealed class UdsTransport implements Transport permits UdsJdkTransport, UdsJunixTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** How both ends wait, from the options. */
    abstract IoMode ioMode(TransportOptions options);

    /** An unbound Unix-domain listening channel. */
    abstract ServerSocketChannel openServerChannel() throws IOException;

    /** An unconnected Unix-domain stream channel. */
    abstract SocketChannel openChannel() throws IOException;

    @Override
    public Map<String, String> options() {
        return UdsSocketPath.help();
    }

    @Override
    public final FrameReceiver openReceiver(TransportOptions options) {
        IoMode io = ioMode(options);
        UdsSocketPath path = UdsSocketPath.create(options);
        ServerSocketChannel server = null;
        try {
            server = openServerChannel();
            // A backlog of one: the receiver serves one sender.
            server.bind(UnixDomainSocketAddress.of(path.socketFile()), 1);
            path.restrictSocketFile();
            return new UdsReceiver(name(), server, path, io);
        } catch (IOException e) {
            closeOnFailure(server, path);
            throw new TransportException("cannot listen on " + label(path.socketFile()) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeOnFailure(server, path);
            throw e;
        }
    }

    @Override
    public final FrameSender openSender(String endpoint, TransportOptions options) {
        IoMode io = ioMode(options);
        Path socketFile = UdsSocketPath.fromEndpoint(endpoint);
        SocketChannel channel;
        try {
            channel = openChannel();
        } catch (IOException e) {
            throw new TransportException("cannot open a Unix-domain socket for " + label(socketFile) + ": " + e.getMessage(), e);
        }
        channel = Sockets.connect(channel, UnixDomainSocketAddress.of(socketFile), Deadline.after(CONNECT_TIMEOUT), label(socketFile));
        return new StreamFrameSender(ChannelIo.of(channel, io, "receiver " + label(socketFile)));
    }

    private static String label(Path socketFile) {
        return "unix:" + socketFile;
    }

    private static void closeOnFailure(ServerSocketChannel server, UdsSocketPath path) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // Failing already; the first failure is the one worth reporting.
            }
        }
        path.close();
    }

    /** Serves the one sender that connects to its socket file. Single thread, as every receiver. */
    private static final class UdsReceiver extends StreamFrameReceiver {
        private final ServerSocketChannel server;
        private final UdsSocketPath path;
        private final String transport;
        private ListenerGuard guard;

        UdsReceiver(String transport, ServerSocketChannel server, UdsSocketPath path, IoMode io) {
            super(io);
            this.transport = transport;
            this.server = server;
            this.path = path;
        }

        @Override
        public String endpoint() {
            return path.socketFile().toString();
        }

        @Override
        protected ChannelIo acceptSender(IoMode mode, long deadlineNanos) {
            SocketChannel channel = Sockets.accept(server, deadlineNanos, label(path.socketFile()));
            try {
                // One sender per receiver: the socket file stays, and every later connection to it is
                // accepted only to be closed and counted.
                guard = ListenerGuard.start(server, transport, label(path.socketFile()));
            } catch (IOException e) {
                Sockets.closeQuietly(channel);
                throw new TransportException("cannot guard the listener on " + label(path.socketFile()) + ": " + e.getMessage(), e);
            }
            return ChannelIo.of(channel, mode, "sender on " + label(path.socketFile()));
        }

        @Override
        public int foreignConnectionsRefused() {
            return guard == null ? 0 : guard.refused();
        }

        @Override
        public void close() {
            if (guard != null) {
                guard.close();
            }
            Sockets.closeQuietly(server);
            try {
                super.close();
            } finally {
                path.close();
            }
        }
    }
}
