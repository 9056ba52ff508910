package dev.framebench.transport.uds;

import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.ChannelIo;
import dev.framebench.transport.socket.IoMode;
import dev.framebench.transport.socket.SenderGate;
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
 * the channels (the JDK, or junixsocket's JNI library) and how they read a peer's credentials; socket
 * files, framing, deadlines and the one-sender rule are shared. The endpoint is the socket file's absolute
 * path.
 *
 * <p>With a token, a peer must also be the user that owns the socket file (the receiver's own, read with
 * {@code SO_PEERCRED}) before its hello is even read: the 0600 socket file keeps other users out, but not
 * root, and a hello from another user is refused even when it carries the right token.
 */
abstract sealed class UdsTransport implements Transport permits UdsJdkTransport, UdsJunixTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** How both ends wait, from the options. */
    abstract IoMode ioMode(TransportOptions options);

    /** An unbound Unix-domain listening channel. */
    abstract ServerSocketChannel openServerChannel() throws IOException;

    /** An unconnected Unix-domain stream channel. */
    abstract SocketChannel openChannel() throws IOException;

    /**
     * Null when the peer of {@code connection} is the user that owns {@code socketFile}; otherwise why not,
     * naming both users ({@code SO_PEERCRED}).
     */
    abstract String otherUser(SocketChannel connection, Path socketFile) throws IOException;

    @Override
    public int copiesPerFrame() {
        // uds-jdk and uds-junix share tcp's stream code (StreamFrameSender, StreamFrameReceiver): the kernel copies
        // each frame into the socket buffer and out of it into the receiver's buffer: 2.
        return 2;
    }

    @Override
    public Map<String, String> options() {
        return UdsSocketPath.help();
    }

    @Override
    public final void validate(TransportOptions options, int maxFrameBytes) {
        ioMode(options);
        UdsSocketPath.validate(options);
    }

    @Override
    public final FrameReceiver openReceiver(TransportOptions options) {
        IoMode io = ioMode(options);
        UdsSocketPath path = UdsSocketPath.create(options);
        ServerSocketChannel server = null;
        try {
            server = openServerChannel();
            server.bind(UnixDomainSocketAddress.of(path.socketFile()), SenderGate.BACKLOG);
            path.restrictSocketFile();
            return new UdsReceiver(this, server, path, io, options.token());
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
        long deadline = Deadline.after(CONNECT_TIMEOUT);
        channel = Sockets.connect(channel, UnixDomainSocketAddress.of(socketFile), deadline, label(socketFile));
        ChannelIo connection = ChannelIo.of(channel, io, "receiver " + label(socketFile));
        try {
            connection.presentHello(options.token(), deadline);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return new StreamFrameSender(connection);
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
        private final UdsSocketPath path;
        // The socket file stays while the receiver runs, so every later connection reaches the gate and is refused and counted.
        private final SenderGate gate;

        UdsReceiver(UdsTransport transport, ServerSocketChannel server, UdsSocketPath path, IoMode io, RunToken token) {
            super(io, token == null);
            this.path = path;
            this.gate = SenderGate.open(server, transport.name(), label(path.socketFile()), token,
                    token == null ? null : connection -> transport.otherUser(connection, path.socketFile()));
        }

        @Override
        public String endpoint() {
            return path.socketFile().toString();
        }

        @Override
        protected ChannelIo acceptSender(IoMode mode, long deadlineNanos) {
            return ChannelIo.of(gate.awaitSender(deadlineNanos), mode, "sender on " + label(path.socketFile()));
        }

        @Override
        public int foreignConnectionsRefused() {
            return gate.refused();
        }

        @Override
        public void close() {
            gate.close();
            try {
                super.close();
            } finally {
                path.close();
            }
        }
    }
}
