package dev.framebench.transport;

import dev.framebench.error.TransportTimeoutException;

import dev.framebench.error.TransportException;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * The receiving end of a transport.
 *
 * @implSpec Opened before its sender, it publishes {@link #endpoint()} at once. {@link #receive(long)}
 * returns a read-only view of the next whole frame, header first, valid until {@link #release()}; zero-copy
 * transports return a view of shared memory, others of their own buffer. It returns {@code null} at a
 * clean end of stream (the sender closed after a whole frame), and throws {@link TransportException} when
 * the stream breaks (a peer died mid-frame, a bad header) and {@link TransportTimeoutException} at the
 * deadline. Single thread.
 */
public interface FrameReceiver extends AutoCloseable {
    /** What a sender needs to reach this receiver, e.g. {@code 127.0.0.1:40123}. */
    String endpoint();

    /**
     * Waits until a sender has connected (accept, handshake) and, with a {@link RunToken}, presented the
     * run's hello; strangers before it and every sender after it are refused.
     */
    void awaitSender(long deadlineNanos);

    MemorySegment receive(long deadlineNanos);

    void release();

    /**
     * Connections (or ring claims) refused so far because this receiver already served its sender, or,
     * with a {@link RunToken}, because they did not present the run's hello; each is also reported on
     * stderr ({@link RefusedSenders}). 0 for transports that nothing but its own sender can reach.
     */
    default int foreignConnectionsRefused() {
        return 0;
    }

    /** How this receiver actually runs (I/O mode, buffer sizes), recorded beside its results. */
    default Map<String, String> describe() {
        return Map.of();
    }

    /**
     * Processes outside both ends that carry this receiver's frames and that it started for the run (an
     * object store): the harness measures their CPU and memory as a third party, apart from sender and
     * receiver. Empty for transports whose frames pass through nothing but the two ends and the kernel.
     */
    default List<ProcessHandle> storageProcesses() {
        return List.of();
    }

    @Override
    void close();
}
