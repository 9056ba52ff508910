package dev.framebench.transport.shm.ffm;

import dev.framebench.transport.Backoff;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.shm.IdleMode;

/**
 * How one side of a ring waits for the other: re-checks a condition, idling between checks as the
 * {@code idle} option says, until the condition holds, the deadline passes, or the other side's process
 * turns out to be dead. Liveness is asked of the OS at most every {@link #PEER_CHECK_NANOS}, which also
 * caps each futex sleep, so a crashed peer ends the wait within about 100 ms instead of at the deadline.
 *
 * <p>Threading: one side's thread.
 */
final class RingWait {
    /** How often a waiting side checks that its peer's process is alive; also the longest futex sleep. */
    static final long PEER_CHECK_NANOS = 100_000_000L;

    /** What a side waits for. Each side makes its one instance at construction, so waiting allocates nothing. */
    @FunctionalInterface
    interface Condition {
        boolean holds();
    }

    private final IdleMode mode;
    private final RingSignal signal;
    private final Backoff backoff = new Backoff();
    private long peerPid;
    private String peerDied;

    /** @param signal the signal this side sleeps on in {@code idle=futex} */
    RingWait(IdleMode mode, RingSignal signal) {
        this.mode = mode;
        this.signal = signal;
    }

    /** From now on a wait fails with {@code diedMessage} once process {@code pid} is gone. */
    void watchPeer(long pid, String diedMessage) {
        this.peerPid = pid;
        this.peerDied = diedMessage;
    }

    /**
     * Returns once {@code condition} holds; throws {@link TransportTimeoutException} ("timed out " +
     * {@code awaiting}) at the deadline and {@link TransportException} when the watched peer has died.
     */
    void await(Condition condition, long deadlineNanos, String awaiting) {
        backoff.reset();
        long nextPeerCheckNanos = System.nanoTime() + PEER_CHECK_NANOS;
        while (!condition.holds()) {
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                throw new TransportTimeoutException("timed out " + awaiting);
            }
            if (now - nextPeerCheckNanos >= 0) {
                // A peer that published and then exited is not a failure: look once more after its death.
                if (!peerAlive() && !condition.holds()) {
                    throw new TransportException(peerDied);
                }
                nextPeerCheckNanos = now + PEER_CHECK_NANOS;
            }
            switch (mode) {
                case SPIN -> Thread.onSpinWait();
                case YIELD -> Thread.yield();
                case BACKOFF -> backoff.idle(deadlineNanos, awaiting);
                case FUTEX -> sleep(condition, Math.min(deadlineNanos - now, nextPeerCheckNanos - now));
            }
        }
    }

    private void sleep(Condition condition, long timeoutNanos) {
        int word = signal.flagWaiting();
        try {
            if (!condition.holds()) {
                signal.sleep(word, timeoutNanos);
            }
        } finally {
            signal.clearWaiting();
        }
    }

    private boolean peerAlive() {
        return peerPid == 0 || ProcessHandle.of(peerPid).map(ProcessHandle::isAlive).orElse(false);
    }
}
