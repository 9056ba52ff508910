package dev.framebench.transport.socket;

import dev.framebench.transport.RefusedSenders;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The connections a listening receiver refused: every one after its sender, closed at once before a byte
 * of it is read, and with a run token every one before it that did not present the run's hello, closed
 * unread beyond the hello. Each is counted and reported on stderr in one line ({@link RefusedSenders})
 * naming the endpoint and the peer's address. Thread-safe: a listener's threads or event loop count, the
 * receiving thread reads.
 */
public final class ForeignConnections {
    private final RefusedSenders refused;

    /** @param transport the transport's name, as the line names it */
    public ForeignConnections(String transport) {
        this.refused = new RefusedSenders(transport);
    }

    /**
     * Counts one connection refused at {@code endpoint} (where the receiver listens, as a sender reaches it)
     * from {@code peer} (its address, or null when it has none) because the sender is served already.
     */
    public void refused(String endpoint, SocketAddress peer) {
        refused(endpoint, peer, RefusedSenders.SERVING_ONE_SENDER);
    }

    /** Counts one connection refused for {@code reason}, which ends with what the receiver does now. */
    public void refused(String endpoint, SocketAddress peer, String reason) {
        refused.refused("connection to " + endpoint + " from " + describe(peer), reason);
    }

    /** How many connections were refused so far. */
    public int count() {
        return refused.count();
    }

    static String describe(SocketAddress peer) {
        return switch (peer) {
            case InetSocketAddress inet -> InetAddresses.format(inet);
            // A Unix-domain client rarely binds a name of its own.
            case UnixDomainSocketAddress unix when !unix.getPath().toString().isEmpty() -> "unix:" + unix.getPath();
            case null, default -> "an unnamed peer";
        };
    }
}
