package dev.framebench.transport;

import dev.framebench.error.TransportTimeoutException;

import java.time.Duration;

/**
 * Deadlines are absolute {@link System#nanoTime()} values passed as {@code long}, so the hot path never
 * allocates to carry one. Every blocking call in framebench takes one.
 */
public final class Deadline {
    private Deadline() {
    }

    public static long after(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    public static long remainingNanos(long deadlineNanos) {
        return deadlineNanos - System.nanoTime();
    }

    public static boolean expired(long deadlineNanos) {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** Milliseconds left, at least 1 while not expired, 0 once it is; for APIs that take millis. */
    public static long remainingMillis(long deadlineNanos) {
        long nanos = remainingNanos(deadlineNanos);
        return nanos <= 0 ? 0 : Math.max(1, nanos / 1_000_000);
    }

    /** Throws a timeout naming what was awaited once the deadline has passed. */
    public static void check(long deadlineNanos, String awaiting) {
        if (expired(deadlineNanos)) {
            throw new TransportTimeoutException("timed out " + awaiting);
        }
    }
}
