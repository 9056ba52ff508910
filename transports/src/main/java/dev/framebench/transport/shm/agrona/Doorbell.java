package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.shm.Futex;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One side's way to sleep until the other side has done something: a waiter flag and a futex word in
 * the shared file ({@link RingFileDescriptor#DATA_DOORBELL_OFFSET}, {@link RingFileDescriptor#SPACE_DOORBELL_OFFSET}).
 * The waiter {@link #arm()}s, re-checks its condition, then {@link #sleep}s; the other side publishes, then
 * {@link #ring()}s, which costs a system call only while a waiter is flagged.
 *
 * <p>Why no wake-up is lost: both sides store, then issue a full fence, then load (the waiter stores its
 * flag and loads the ring; the ringer stores its record and loads the flag), so at least one of them sees
 * the other's store. A ringer that sees the flag bumps the word before waking, and the waiter read the
 * word before its re-check, so a bump it missed makes {@code FUTEX_WAIT} return at once.
 *
 * <p>The flag counts waiters, and a ring wakes them all: with many producers (shm-agrona-mpsc) several
 * senders may sleep on the space word at once, and one disarming must not hide the others.
 *
 * <p>Threading: {@link #arm}, {@link #sleep} and {@link #disarm} by each waiting thread, {@link #ring}
 * by any thread that publishes.
 */
final class Doorbell {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment line;
    private final MemorySegment sequenceWord;

    /** {@code line} is the doorbell's 8 bytes in the mapping: flag, then futex word. */
    Doorbell(MemorySegment line) {
        this.line = line;
        this.sequenceWord = line.asSlice(RingFileDescriptor.SEQUENCE_OFFSET, Integer.BYTES);
    }

    /** Flags this side as about to sleep; returns the futex word to sleep on once the condition is re-checked. */
    int arm() {
        int unused = (int) INT.getAndAdd(line, (long) RingFileDescriptor.WAITING_OFFSET, 1);
        VarHandle.fullFence();
        return (int) INT.getVolatile(line, (long) RingFileDescriptor.SEQUENCE_OFFSET);
    }

    /** Sleeps while the word still holds {@code sequence}, at most {@code timeoutNanos}; spurious returns happen. */
    void sleep(int sequence, long timeoutNanos) {
        Futex.await(sequenceWord, sequence, timeoutNanos);
    }

    void disarm() {
        int unused = (int) INT.getAndAdd(line, (long) RingFileDescriptor.WAITING_OFFSET, -1);
    }

    /** Wakes the other side if it sleeps; call after publishing (the caller's store precedes the fence here). */
    void ring() {
        VarHandle.fullFence();
        if ((int) INT.getVolatile(line, (long) RingFileDescriptor.WAITING_OFFSET) != 0) {
            int unused = (int) INT.getAndAdd(line, (long) RingFileDescriptor.SEQUENCE_OFFSET, 1);
            Futex.wake(sequenceWord, Integer.MAX_VALUE);
        }
    }
}
