package dev.framebench.transport.shm;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.Backoff;

/**
 * How one side of a shared-memory ring waits for the other, for {@code shm-ffm} and {@code shm-agrona}
 * alike: polls a condition, idling between polls as the {@code idle} option ({@link IdleMode}) says, until
 * the condition holds, the deadline passes, or the other side's process turns out to be dead. In
 * {@code idle=futex} it sleeps on its side's {@link Doorbell}, whose Javadoc is the argument that no
 * wake-up is lost; the other side rings that doorbell after each publication.
 *
 * <p>Liveness is asked of the OS at most every {@link #PEER_CHECK_NANOS}, which also caps each futex
 * sleep, so a crashed peer ends the wait within about 100 ms instead of at the deadline, and a waiter
 * nobody rings still notices its deadline. A peer found dead is a failure only if the condition still
 * does not hold once more after: a peer that published and then exited is not one.
 *
 * <p>Threading: one instance per waiting thread.
 */
public final class RingWaiter {
    /** How often a waiting side checks that its peer's process is alive; also the longest futex sleep. */
    public static final long PEER_CHECK_NANOS = 100_000_000L;
    /**
     * Polls between two reads of the clock in {@code spin} and {@code backoff} mode, minus one (a mask).
     * There a poll is a {@code pause} and one acquire load, tens of nanoseconds, while
     * {@code System.nanoTime()} is {@code clock_gettime}: as much again through the vDSO, far more where the
     * clocksource traps into the hypervisor; read on every poll it was ~14% of shm-ffm's receiver samples.
     * The deadline and the peer check are matters of 100 ms and more, and 64 polls of spinning take
     * microseconds, so reading the clock on every 64th poll delays neither (backoff's naps check the
     * deadline themselves). {@code yield} and {@code futex} read it on every poll: each of their polls is
     * a system call anyway, and a yield on a busy core can last a time slice.
     */
    static final int CLOCK_POLL_MASK = 64 - 1;

    /** What a side waits for: polled often, so cheap and idempotent. Each side makes its one instance up front. */
    @FunctionalInterface
    public interface Condition {
        boolean holds();
    }

    /** Whether the other side's process still lives: {@code null} while it does, else the one-line error to fail with. */
    @FunctionalInterface
    public interface PeerCheck {
        String deadPeer();
    }

    private final IdleMode mode;
    private final Doorbell doorbell;
    private final Backoff backoff = new Backoff();
    /** {@link #CLOCK_POLL_MASK} polls per clock read, else one. */
    private final int clockPollMask;

    /** {@code doorbell} is the one this side sleeps on in {@code idle=futex} (the other side rings it). */
    public RingWaiter(IdleMode mode, Doorbell doorbell) {
        this.mode = mode;
        this.doorbell = doorbell;
        this.clockPollMask = mode == IdleMode.SPIN || mode == IdleMode.BACKOFF ? CLOCK_POLL_MASK : 0;
    }

    public IdleMode mode() {
        return mode;
    }

    /**
     * Returns once {@code ready} holds; throws {@link TransportTimeoutException} ("timed out " +
     * {@code awaiting}) at the deadline and {@link TransportException} with {@code peer}'s line when the
     * other side has died. Allocates nothing while it polls.
     */
    public void await(Condition ready, long deadlineNanos, String awaiting, PeerCheck peer) {
        if (ready.holds()) {
            return;
        }
        backoff.reset();
        final int clockPollMask = this.clockPollMask;
        long now = System.nanoTime();
        long nextPeerCheckNanos = now + PEER_CHECK_NANOS;
        int polls = 0;
        while (true) {
            // Compared against the clock as last read: two subtractions, no system call.
            if (now - deadlineNanos >= 0) {
                throw new TransportTimeoutException("timed out " + awaiting);
            }
            if (now - nextPeerCheckNanos >= 0) {
                String dead = peer.deadPeer();
                if (dead != null) {
                    if (ready.holds()) {
                        return;
                    }
                    throw new TransportException(dead);
                }
                nextPeerCheckNanos = now + PEER_CHECK_NANOS;
            }
            switch (mode) {
                case SPIN -> Thread.onSpinWait();
                case YIELD -> Thread.yield();
                case BACKOFF -> backoff.idle(deadlineNanos, awaiting);
                case FUTEX -> doorbell.sleepUnless(ready, Math.min(deadlineNanos - now, nextPeerCheckNanos - now));
            }
            if (ready.holds()) {
                return;
            }
            if ((++polls & clockPollMask) == 0) {
                now = System.nanoTime();
            }
        }
    }

    /** True while process {@code pid} exists and has not exited. */
    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
