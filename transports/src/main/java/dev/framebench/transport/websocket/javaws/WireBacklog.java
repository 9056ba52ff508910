package dev.framebench.transport.websocket.javaws;

import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bytes Java-WebSocket's client has encoded for the wire but its writer thread has not yet handed to the
 * socket. {@code WebSocketClient} encodes a message on the caller's thread, queues the result, and returns;
 * a writer thread drains the queue. Its own {@code hasBufferedData()} turns false as soon as the writer
 * <em>takes</em> a buffer, before writing it, so it cannot tell when a frame is out. Counting both ends
 * can: the sender's draft counts what it encodes, the socket's output stream counts what it writes.
 *
 * <p>The writer wakes the waiting sender when bytes go out, rather than the sender polling: a wait lasts
 * milliseconds per multi-megabyte frame, and polling would be charged to the very CPU the benchmark
 * measures.
 *
 * <p>Threading: {@link #encoded} from any thread that encodes (the sending thread; the library's read
 * thread when it answers a ping or a close); {@link #written} from the library's single writer thread;
 * {@link #awaitWritten} from the one sending thread; {@link #connectionEnded} from any.
 */
final class WireBacklog {
    private final AtomicLong encodedBytes = new AtomicLong();
    /** Written by the writer thread only, so a volatile (not atomic) sum is enough. */
    private volatile long writtenBytes;
    private volatile Thread waiter;
    private volatile String ending;

    void encoded(long bytes) {
        encodedBytes.addAndGet(bytes);
    }

    void written(long bytes) {
        writtenBytes += bytes;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** The connection is gone: a waiting sender fails with {@code why} instead of waiting for its deadline. */
    void connectionEnded(String why) {
        ending = why;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Waits until every byte encoded so far has been written to the socket. Throws
     * {@link TransportTimeoutException} at the deadline, {@link TransportException} if the connection ends.
     */
    void awaitWritten(long deadlineNanos, String awaiting) {
        long target = encodedBytes.get();
        if (writtenBytes >= target) {
            return;
        }
        waiter = Thread.currentThread();
        try {
            // waiter is published before each check, so a write that lands after the check unparks us.
            while (writtenBytes < target) {
                String why = ending;
                if (why != null) {
                    throw new TransportException(why + " while " + awaiting);
                }
                long remaining = Deadline.remainingNanos(deadlineNanos);
                if (remaining <= 0) {
                    throw new TransportTimeoutException("timed out " + awaiting);
                }
                LockSupport.parkNanos(this, remaining);
            }
        } finally {
            waiter = null;
        }
    }
}
