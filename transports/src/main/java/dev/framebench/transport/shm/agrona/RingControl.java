package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.shm.Doorbell;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.framebench.transport.shm.agrona.RingFileDescriptor.CAPACITY_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.DATA_DOORBELL_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.MAGIC;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.MAGIC_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.MANY_PRODUCERS;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.PRODUCERS_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.RECEIVER_PID_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDER_CLOSED_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDER_PID_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDER_TABLE_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDER_TABLE_SLOTS;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDERS_ATTACHED_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDERS_CLOSED_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SPACE_DOORBELL_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.VERSION;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.VERSION_OFFSET;

/**
 * framebench's control area of a ring file ({@link RingFileDescriptor}): who is at each end, whether the
 * stream ended cleanly, and the two doorbells. Every access states its memory ordering, since the other
 * side is another process reading the same bytes.
 *
 * <p>Threading: any thread of either process; each method is one atomic access (or a few, as documented).
 */
final class RingControl {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment area;
    private final Doorbell dataDoorbell;
    private final Doorbell spaceDoorbell;

    /** {@code area} is the control area of a mapping, {@link RingFileDescriptor#CONTROL_LENGTH} bytes. */
    RingControl(MemorySegment area) {
        this.area = area;
        this.dataDoorbell = new Doorbell(area.asSlice(DATA_DOORBELL_OFFSET, Doorbell.LENGTH));
        this.spaceDoorbell = new Doorbell(area.asSlice(SPACE_DOORBELL_OFFSET, Doorbell.LENGTH));
    }

    /** Called by the receiver on a new, zeroed file before it publishes the endpoint; the magic goes last. */
    void initialise(int capacity, long receiverPid, boolean manyProducers) {
        INT.set(area, (long) VERSION_OFFSET, VERSION);
        INT.set(area, (long) PRODUCERS_OFFSET, manyProducers ? MANY_PRODUCERS : 0);
        INT.set(area, (long) CAPACITY_OFFSET, capacity);
        LONG.set(area, (long) RECEIVER_PID_OFFSET, receiverPid);
        INT.setRelease(area, (long) MAGIC_OFFSET, MAGIC);
    }

    /** Null when this is a ring of {@code capacity} and producer kind this code can use, else what is wrong with it. */
    String problem(int capacity, boolean manyProducers) {
        int magic = (int) INT.getAcquire(area, (long) MAGIC_OFFSET);
        if (magic != MAGIC) {
            return String.format("magic=0x%08x, expected 0x%08x", magic, MAGIC);
        }
        int version = (int) INT.get(area, (long) VERSION_OFFSET);
        if (version != VERSION) {
            return "layout version=" + version + ", expected " + VERSION;
        }
        int written = (int) INT.get(area, (long) CAPACITY_OFFSET);
        if (written != capacity) {
            return "capacity=" + written + " but the file holds " + capacity;
        }
        if (manyProducers() != manyProducers) {
            return manyProducers() ? "a many-producer ring: send with shm-agrona-mpsc" : "a one-producer ring: send with shm-agrona";
        }
        return null;
    }

    /** True for shm-agrona-mpsc's ManyToOneRingBuffer: many senders, counted rather than named. */
    boolean manyProducers() {
        return (int) INT.get(area, (long) PRODUCERS_OFFSET) == MANY_PRODUCERS;
    }

    long receiverPid() {
        return (long) LONG.get(area, (long) RECEIVER_PID_OFFSET);
    }

    /**
     * Makes {@code pid} the one sender, false when another already is; with many producers, counts one more
     * and names it in the first free slot of the sender table (always true; past the last slot it is only counted).
     */
    boolean attachSender(long pid) {
        boolean first = LONG.compareAndSet(area, (long) SENDER_PID_OFFSET, 0L, pid);
        if (!manyProducers()) {
            return first;
        }
        for (int slot = 0; slot < SENDER_TABLE_SLOTS; slot++) {
            if (LONG.compareAndSet(area, slotOffset(slot), 0L, pid)) {
                break;
            }
        }
        int unused = (int) INT.getAndAdd(area, (long) SENDERS_ATTACHED_OFFSET, 1);
        return true;
    }

    /** With many producers: the pid of a named sender that is attached and has not closed, per slot, 0 for none. */
    long openSender(int slot) {
        long pid = (long) LONG.getAcquire(area, slotOffset(slot));
        return Math.max(pid, 0);
    }

    private static long slotOffset(int slot) {
        return SENDER_TABLE_OFFSET + (long) slot * Long.BYTES;
    }

    /** The attached sender's pid (with many producers, the first one's), 0 before one attaches. */
    long senderPid() {
        return (long) LONG.getVolatile(area, (long) SENDER_PID_OFFSET);
    }

    /** Written after the last commit: release, so a reader that sees it also sees every frame. */
    void markSenderClosed(long pid) {
        if (manyProducers()) {
            for (int slot = 0; slot < SENDER_TABLE_SLOTS; slot++) {
                if (LONG.compareAndSet(area, slotOffset(slot), pid, -pid)) {
                    break;
                }
            }
            // A full-barrier add: a receiver that counts this close also sees this sender's last commit.
            int unused = (int) INT.getAndAdd(area, (long) SENDERS_CLOSED_OFFSET, 1);
        } else {
            INT.setRelease(area, (long) SENDER_CLOSED_OFFSET, 1);
        }
    }

    /** The stream has ended cleanly: its sender closed, or with many producers every sender that attached. */
    boolean senderClosed() {
        if (manyProducers()) {
            int closed = (int) INT.getAcquire(area, (long) SENDERS_CLOSED_OFFSET);
            return closed > 0 && closed == (int) INT.getAcquire(area, (long) SENDERS_ATTACHED_OFFSET);
        }
        return (int) INT.getAcquire(area, (long) SENDER_CLOSED_OFFSET) != 0;
    }

    /** The receiver sleeps on it; the sender rings it after each commit, its attach and its close. */
    Doorbell dataDoorbell() {
        return dataDoorbell;
    }

    /** The sender sleeps on it while the ring is full; the receiver rings it after each release. */
    Doorbell spaceDoorbell() {
        return spaceDoorbell;
    }
}
