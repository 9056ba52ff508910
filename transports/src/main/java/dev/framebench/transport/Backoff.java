package dev.framebench.transport;

import java.util.concurrent.locks.LockSupport;

/**
 * Waiting without a wake-up call: spin, then yield, then park in short naps. A waiter that parks until
 * signalled pays a futex wake and a scheduler hop per frame (tens to hundreds of microseconds on a
 * virtual machine), which would make an in-memory hand-off look latency-bound; a busy waiter that
 * never parks burns a core even when frames come at 30 fps. This sits between the two.
 *
 * <p>Threading: one instance per waiting thread.
 */
public final class Backoff {
    private static final int SPINS = 2_000;
    private static final int YIELDS = 200;
    private static final long PARK_NANOS = 20_000;

    private int idles;

    public void reset() {
        idles = 0;
    }

    /** One idle step; throws a timeout naming {@code awaiting} once the deadline has passed. */
    public void idle(long deadlineNanos, String awaiting) {
        if (idles < SPINS) {
            Thread.onSpinWait();
        } else if (idles < SPINS + YIELDS) {
            Thread.yield();
        } else {
            Deadline.check(deadlineNanos, awaiting);
            LockSupport.parkNanos(PARK_NANOS);
        }
        idles++;
    }
}
