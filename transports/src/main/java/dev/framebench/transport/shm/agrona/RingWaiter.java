package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.Backoff;
import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.shm.IdleMode;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How one end of the ring waits for the other: the {@link IdleMode} of option {@code idle}, the deadline,
 * and a check, about every 100 ms, that the other process still lives. In futex mode it sleeps on its
 * {@link Doorbell} for at most 100 ms at a time, so that the deadline and the liveness check still run
 * while nobody rings.
 *
 * <p>Threading: one instance per waiting thread.
 */
final class RingWaiter {
    static final long PEER_CHECK_NANOS = Duration.ofMillis(100).toNanos();
    private static final long MAX_SLEEP_NANOS = Duration.ofMillis(100).toNanos();

    private final IdleMode mode;
    private final Doorbell doorbell;
    private final Backoff backoff = new Backoff();

    /** {@code doorbell} is the one this side sleeps on in futex mode (the other side rings it). */
    RingWaiter(IdleMode mode, Doorbell doorbell) {
        this.mode = mode;
        this.doorbell = doorbell;
    }

    IdleMode mode() {
        return mode;
    }

    /**
     * Returns once {@code ready} is true. {@code ready} is polled often, so it must be cheap and idempotent.
     * Throws {@link TransportTimeoutException} naming {@code awaiting} at the deadline, and whatever
     * {@code peerCheck} throws when it finds the other side gone.
     */
    void await(BooleanSupplier ready, long deadlineNanos, String awaiting, Runnable peerCheck) {
        if (ready.getAsBoolean()) {
            return;
        }
        backoff.reset();
        long nextPeerCheck = System.nanoTime() + PEER_CHECK_NANOS;
        while (true) {
            idle(ready, deadlineNanos, awaiting);
            if (ready.getAsBoolean()) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                throw new TransportTimeoutException("timed out " + awaiting);
            }
            if (now - nextPeerCheck >= 0) {
                peerCheck.run();
                nextPeerCheck = now + PEER_CHECK_NANOS;
            }
        }
    }

    private void idle(BooleanSupplier ready, long deadlineNanos, String awaiting) {
        switch (mode) {
            case SPIN -> Thread.onSpinWait();
            case YIELD -> Thread.yield();
            case BACKOFF -> backoff.idle(deadlineNanos, awaiting);
            case FUTEX -> sleepUnlessReady(ready, deadlineNanos);
        }
    }

    private void sleepUnlessReady(BooleanSupplier ready, long deadlineNanos) {
        int sequence = doorbell.arm();
        try {
            // Re-checked after arming: a publish that came before the flag was visible would not ring.
            if (!ready.getAsBoolean()) {
                doorbell.sleep(sequence, Math.min(Deadline.remainingNanos(deadlineNanos), MAX_SLEEP_NANOS));
            }
        } finally {
            doorbell.disarm();
        }
    }
}
