package dev.framebench.transport.shm.ffm;

import dev.framebench.transport.shm.Futex;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static dev.framebench.transport.shm.ffm.ShmRing.INT_FIELD;

/**
 * One direction of the ring's futex wake-up: a waiter flag and a futex word in the shared header
 * ({@code dataWaiter}/{@code dataFutex}: the consumer waits for data; {@code spaceWaiter}/{@code spaceFutex}:
 * the producer waits for space). The waiting side flags itself and sleeps on the futex word; the other
 * side, each time it publishes, wakes it only if it is flagged, so a side that never has to wait never
 * costs its peer a system call.
 *
 * <p>Why no wake-up is lost (Dekker's pattern, a store then a load on each side, a full fence between):
 * <pre>
 *   waiter                                   waker
 *   w = futex word           (acquire)       store position   (release: tail, head or producerClosed)
 *   waiter flag = 1          (release)       full fence
 *   full fence                               if waiter flag == 1:
 *   if condition still false:                    futex word += 1   (atomic)
 *       FUTEX_WAIT(word, w, &lt;= 100 ms)          FUTEX_WAKE(word, 1)
 *   waiter flag = 0          (release)
 * </pre>
 * Without the fences each side's load could pass its own earlier store (x86 store buffers do exactly
 * that), both would read the old values, and the waiter would sleep through the publication. With them,
 * at least one side sees the other's store: the waiter sees the new position and does not sleep, or the
 * waker sees the flag and wakes. The waiter reads the word before flagging itself, and the kernel sleeps
 * only while the word still holds that value: a wake that comes between the re-check and FUTEX_WAIT has
 * already changed the word, so FUTEX_WAIT returns at once instead of missing it. Sleeps are capped so the
 * waiter still notices its deadline and a dead peer.
 *
 * <p>Threading: {@link #flagWaiting}, {@link #sleep} and {@link #clearWaiting} on the waiting side's
 * thread; {@link #wakeIfWaiting} on the other side's.
 */
final class RingSignal {
    private final MemorySegment header;
    private final long waiterOffset;
    private final long futexOffset;
    private final MemorySegment futexWord;

    RingSignal(MemorySegment header, int waiterOffset, int futexOffset) {
        this.header = header;
        this.waiterOffset = waiterOffset;
        this.futexOffset = futexOffset;
        this.futexWord = header.asSlice(futexOffset, Integer.BYTES);
    }

    /** Waiter: flags this side as sleeping; returns the futex word to sleep on. Re-check the condition next. */
    int flagWaiting() {
        int word = (int) INT_FIELD.getAcquire(header, futexOffset);
        INT_FIELD.setRelease(header, waiterOffset, 1);
        VarHandle.fullFence();
        return word;
    }

    /** Waiter: sleeps until woken, {@code timeoutNanos} pass, or at once if the word moved past {@code word}. */
    void sleep(int word, long timeoutNanos) {
        Futex.await(futexWord, word, timeoutNanos);
    }

    /** Waiter: awake again; the other side stops issuing wake-ups. */
    void clearWaiting() {
        INT_FIELD.setRelease(header, waiterOffset, 0);
    }

    /** Waker: call right after the release store that publishes; costs a fence, and a syscall only if a waiter is flagged. */
    void wakeIfWaiting() {
        VarHandle.fullFence();
        if ((int) INT_FIELD.getAcquire(header, waiterOffset) != 0) {
            // This side is the word's only writer, but a locked add makes the new value visible to the
            // kernel's compare in FUTEX_WAIT before the wake, in one instruction; beside the syscall it is free.
            int previous = (int) INT_FIELD.getAndAdd(header, futexOffset, 1);
            Futex.wake(futexWord, 1);
        }
    }
}
