package dev.framebench.transport.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One direction of a shared-memory ring's futex wake-up: 8 bytes in memory both processes map, where a
 * side that has nothing to do sleeps until the other side has published. {@code shm-ffm} has two in its
 * header ({@code dataWaiter}/{@code dataFutex} at 384, {@code spaceWaiter}/{@code spaceFutex} at 512),
 * shm-agrona two in its control area (at 256 and 384); docs/WIRE.md documents both.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     waiters: threads announced asleep (at most 1, but on      |  0  each waiter, atomic add +1, then -1
 *  |     shm-agrona-mpsc's space doorbell, one per sender)         |
 *  +---------------------------------------------------------------+
 *  |     word: the futex word the waiters sleep on                 |  4  each waker, atomic add +1
 *  +---------------------------------------------------------------+
 * </pre>
 * Both are 32-bit integers in host order, because the kernel compares the futex word in host order;
 * {@link Futex} works only on x86-64 and aarch64 Linux, both little-endian, the order the ring layouts
 * document. With one waiter the count holds exactly the 1 and 0 a flag would.
 *
 * <h2>The handshake, and why no wake-up is lost</h2>
 * <pre>
 *   waiter ({@link #sleepUnless})                      waker ({@link #ring}), right after publishing
 *   w1  observed = word            (acquire)           k0  store position     (release, the caller's)
 *   w2  waiters += 1               (atomic add)        k1  full fence
 *   w3  full fence                                     k2  if waiters != 0    (acquire):
 *   w4  if the condition is still unmet                k3      word += 1      (atomic add)
 *   w5      FUTEX_WAIT(word, observed, timeout)        k4      FUTEX_WAKE(word, all)
 *   w6  waiters -= 1               (atomic add)
 * </pre>
 * Each side stores, fences, then loads: the waiter stores its announcement (w2) and loads the ring's
 * position in its condition (w4); the waker stores the position (k0) and loads the count (k2). Without
 * the fences either load could pass its own side's earlier store (x86 store buffers do exactly that),
 * both would read the old values, and the waiter would sleep through the publication. With them, the
 * two store-fence-load sequences are totally ordered, so at least one side sees the other's store:
 * <ul>
 *   <li>the waiter's re-check (w4) sees the new position: it does not sleep; or</li>
 *   <li>the waker sees the announcement (k2): it moves the word (k3) and wakes (k4). The waiter read the
 *       word (w1) before announcing, so before that move, and the kernel sleeps in FUTEX_WAIT only while
 *       the word still holds the value given, comparing under the same lock FUTEX_WAKE takes: a waiter
 *       not yet asleep at k3 returns from w5 at once, one already asleep is woken at k4.</li>
 * </ul>
 * A side that never has to wait never costs its peer more than the fence and one load: the system call
 * is made only while a waiter is announced. The waker wakes all waiters, not one, because on
 * shm-agrona-mpsc several senders may sleep on the space word at once and a wake taken by one must not
 * strand the others; on a one-producer ring at most one sleeps, so waking all costs the same. Spurious
 * returns (a stale announcement, a timeout, a signal) are harmless: the waiter re-checks its condition.
 *
 * <p>Threading: {@link #sleepUnless} on any waiting thread, {@link #ring} on any publishing thread, each
 * of either process.
 */
public final class Doorbell {
    public static final int WAITERS_OFFSET = 0;
    public static final int WORD_OFFSET = 4;
    public static final int LENGTH = 8;

    /** (MemorySegment, long offset) -> int; exact, so a call site with a wrong type fails instead of adapting slowly. */
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private final MemorySegment bell;
    private final MemorySegment word;

    /** {@code bell} is the doorbell's {@link #LENGTH} bytes in the mapping, 4-byte aligned. */
    public Doorbell(MemorySegment bell) {
        if (bell.byteSize() != LENGTH || bell.address() % Integer.BYTES != 0) {
            throw new IllegalArgumentException("a doorbell is " + LENGTH + " bytes, 4-byte aligned: byteSize=" + bell.byteSize()
                    + " address=" + bell.address());
        }
        this.bell = bell;
        this.word = bell.asSlice(WORD_OFFSET, Integer.BYTES);
    }

    /**
     * Waiter: sleeps until rung, {@code timeoutNanos} pass, or a spurious return, unless {@code ready}
     * holds once this side is announced (steps w1 to w6 above). The caller re-checks {@code ready} after.
     */
    void sleepUnless(RingWaiter.Condition ready, long timeoutNanos) {
        // w1, acquire: the read cannot move after the announcement below, so it sees no move the waker makes for it.
        int observed = (int) INT.getAcquire(bell, (long) WORD_OFFSET);
        // w2, atomic add (volatile): not a store, since several senders may announce on one shm-agrona-mpsc space word.
        int announced = (int) INT.getAndAdd(bell, (long) WAITERS_OFFSET, 1);
        try {
            // w3: the announcement is a store and the condition's position a load; only a full fence orders the two.
            VarHandle.fullFence();
            // w4: the condition reads the ring's position with acquire, as it does between sleeps.
            if (!ready.holds()) {
                // w5: the kernel compares the word with observed, atomically with queueing this thread.
                Futex.await(word, observed, timeoutNanos);
            }
        } finally {
            // w6, atomic add (volatile): withdraws this waiter only, leaving any other's announcement standing.
            int stillAnnounced = (int) INT.getAndAdd(bell, (long) WAITERS_OFFSET, -1);
        }
    }

    /**
     * Waker: call right after the release store that publishes (a record, a released frame, a close);
     * costs a fence and one load, and the system call only while a waiter is announced.
     */
    public void ring() {
        // k1: the caller's publishing store is a store and the count a load; only a full fence orders the two.
        VarHandle.fullFence();
        // k2, acquire: after the fence an acquire load suffices; a waiter's w2 made the count non-zero.
        if ((int) INT.getAcquire(bell, (long) WAITERS_OFFSET) != 0) {
            // k3, atomic add (volatile): wakers may race (shm-agrona-mpsc's senders on the data word), and the new
            // value must be in memory before the kernel compares it for a waiter still on its way into w5.
            int previous = (int) INT.getAndAdd(bell, (long) WORD_OFFSET, 1);
            // k4: every waiter, not one (see above); beside the system call the add is free.
            Futex.wake(word, Integer.MAX_VALUE);
        }
    }
}
