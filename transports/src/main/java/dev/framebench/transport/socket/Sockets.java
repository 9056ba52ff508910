package dev.framebench.transport.socket;

import dev.framebench.transport.Deadline;
import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/** Connect with a deadline, for every stream-socket transport; {@link SenderGate} accepts. */
public final class Sockets {
    private Sockets() {
    }

    /** Connects, or times out; the returned channel is in blocking mode. */
    public static SocketChannel connect(SocketAddress address, long deadlineNanos, String endpoint) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(switch (address) {
                case java.net.UnixDomainSocketAddress u -> java.net.StandardProtocolFamily.UNIX;
                case java.net.InetSocketAddress i when i.getAddress() instanceof java.net.Inet6Address -> java.net.StandardProtocolFamily.INET6;
                default -> java.net.StandardProtocolFamily.INET;
            });
        } catch (IOException e) {
            throw cannotConnect(endpoint, e);
        }
        return connect(channel, address, deadlineNanos, endpoint);
    }

    /**
     * Connects {@code channel}, which the caller opened (a library's own channel type), or times out and
     * closes it; the returned channel is in blocking mode.
     */
    public static SocketChannel connect(SocketChannel channel, SocketAddress address, long deadlineNanos, String endpoint) {
        try (Selector selector = channel.provider().openSelector()) {
            channel.configureBlocking(false);
            if (!channel.connect(address)) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                while (!channel.finishConnect()) {
                    long millis = Deadline.remainingMillis(deadlineNanos);
                    if (millis == 0) {
                        throw new TransportTimeoutException("timed out connecting to " + endpoint);
                    }
                    selector.select(millis);
                    selector.selectedKeys().clear();
                }
                channel.keyFor(selector).cancel();
                selector.selectNow();
            }
            channel.configureBlocking(true);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw cannotConnect(endpoint, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static TransportException cannotConnect(String endpoint, IOException e) {
        return new TransportException("cannot connect to " + endpoint + ": " + e.getMessage()
                + "; is a receiver listening there (scripts/framebench receive)?", e);
    }

    /**
     * Binds a receiver's listener on {@code listen}, with a receive buffer of {@code receiveBufferBytes} when
     * above 0 (set before bind, so the window scaling it needs is negotiated); a port in use is bad input with
     * the fix. A non-loopback address was already warned about when {@code listen} was parsed.
     */
    public static ServerSocketChannel listen(InetSocketAddress listen, int receiveBufferBytes) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            if (receiveBufferBytes > 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            server.bind(listen, SenderGate.BACKLOG);
            return server;
        } catch (BindException e) {
            server.close();
            throw new BadInputException("cannot listen on " + InetAddresses.format(listen) + ": " + e.getMessage()
                    + "; choose a free port with listen=HOST:PORT or port 0 for any");
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Closing on a failure path; the first failure is the one worth reporting.
            }
        }
    }
}
