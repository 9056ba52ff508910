package dev.framebench.transport.socket;

import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
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
