package dev.framebench.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The would-be senders a receiver refused: connections or ring claims that came while it already served
 * its sender, or that did not present the run's {@link RunToken} (docs/WIRE.md, "The sender hello"). Each
 * is counted, for {@link FrameReceiver#foreignConnectionsRefused()}, and reported on stderr in one line
 * naming the transport, where it came and from whom, so that a stranger (a scanner, a second benchmark
 * pointed at the wrong endpoint, a process that raced the real sender) is seen and never mixed into the
 * stream.
 *
 * <p>Threading: thread-safe; a listener's threads or an event loop count, the receiving thread reads.
 */
public final class RefusedSenders {
    /** The reason once the sender is served. */
    public static final String SERVING_ONE_SENDER = "it serves one sender, whose stream goes on";
    /** The end of every reason before it is: the refusal costs the real sender nothing but this line. */
    public static final String WAITING_FOR_THE_SENDER = "it keeps waiting for the sender that presents the run's token";

    private final String transport;
    private final AtomicInteger refused = new AtomicInteger();

    /** @param transport the transport's name, as each line names it */
    public RefusedSenders(String transport) {
        this.transport = transport;
    }

    /**
     * Counts one refusal and prints it: {@code subject} says what was refused, where and from whom
     * ({@code "connection to tcp://127.0.0.1:7000 from 127.0.0.1:51234"}, {@code "ring claim on
     * /dev/shm/framebench-ffm-1-1 by pid 4242"}); {@code reason} why, ending in what the receiver does now.
     */
    public void refused(String subject, String reason) {
        int count = refused.incrementAndGet();
        System.err.println("framebench receiver (" + transport + "): refused a foreign " + subject + " (" + count + " so far): " + reason);
    }

    /** How many were refused so far. */
    public int count() {
        return refused.get();
    }
}
