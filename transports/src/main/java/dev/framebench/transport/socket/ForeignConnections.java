package dev.framebench.transport.socket;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections a receiver refused because it already serves its one sender. Each is closed at once,
 * before a byte of it is read, counted, and reported on stderr in one line, so that a stranger on the
 * port (a scanner, a second benchmark pointed at the wrong endpoint) is seen and never mixed into the
 * stream. Thread-safe: a listener's guard thread or event loop counts, the receiving thread reads.
 */
public final class ForeignConnections {
    private final String transport;
    private final AtomicInteger refused = new AtomicInteger();

    /** @param transport the transport's name, as the line names it */
    public ForeignConnections(String transport) {
        this.transport = transport;
    }

    /**
     * Counts one connection refused at {@code endpoint} (where the receiver listens, as a sender reaches it)
     * from {@code peer} (its address, or null when it has none).
     */
    public void refused(String endpoint, SocketAddress peer) {
        int count = refused.incrementAndGet();
        System.err.println("framebench receiver (" + transport + "): refused a foreign connection to " + endpoint
                + " from " + describe(peer) + " (" + count + " so far): it serves one sender, whose stream goes on");
    }

    /** How many connections were refused so far. */
    public int count() {
        return refused.get();
    }

    private static String describe(SocketAddress peer) {
        return switch (peer) {
            case InetSocketAddress inet -> InetAddresses.format(inet);
            // A Unix-domain client rarely binds a name of its own.
            case UnixDomainSocketAddress unix when !unix.getPath().toString().isEmpty() -> "unix:" + unix.getPath();
            case null, default -> "an unnamed peer";
        };
    }
}
