package dev.framebench.transport.shm.agrona;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.framebench.transport.shm.agrona.RingFileDescriptor.CAPACITY_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.DATA_DOORBELL_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.MAGIC;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.MAGIC_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.RECEIVER_PID_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDER_CLOSED_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.SENDER_PID_OFFSET;
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
        this.dataDoorbell = new Doorbell(area.asSlice(DATA_DOORBELL_OFFSET, 2 * Integer.BYTES));
        this.spaceDoorbell = new Doorbell(area.asSlice(SPACE_DOORBELL_OFFSET, 2 * Integer.BYTES));
    }

    /** Called by the receiver on a new, zeroed file before it publishes the endpoint; the magic goes last. */
    void initialise(int capacity, long receiverPid) {
        INT.set(area, (long) VERSION_OFFSET, VERSION);
        INT.set(area, (long) CAPACITY_OFFSET, capacity);
        LONG.set(area, (long) RECEIVER_PID_OFFSET, receiverPid);
        INT.setRelease(area, (long) MAGIC_OFFSET, MAGIC);
    }

    /** Null when this is a ring of {@code capacity} this code can use, else what is wrong with it. */
    String problem(int capacity) {
        int magic = (int) INT.getAcquire(area, (long) MAGIC_OFFSET);
        if (magic != MAGIC) {
            return String.format("magic=0x%08x, expected 0x%08x", magic, MAGIC);
        }
        int version = (int) INT.get(area, (long) VERSION_OFFSET);
        if (version != VERSION) {
            return "layout version=" + version + ", expected " + VERSION;
        }
        int written = (int) INT.get(area, (long) CAPACITY_OFFSET);
        return written == capacity ? null : "capacity=" + written + " but the file holds " + capacity;
    }

    long receiverPid() {
        return (long) LONG.get(area, (long) RECEIVER_PID_OFFSET);
    }

    /** Makes {@code pid} the one sender; false when another already is. */
    boolean attachSender(long pid) {
        return LONG.compareAndSet(area, (long) SENDER_PID_OFFSET, 0L, pid);
    }

    /** The attached sender's pid, 0 before one attaches. */
    long senderPid() {
        return (long) LONG.getVolatile(area, (long) SENDER_PID_OFFSET);
    }

    /** Written after the last commit: release, so a reader that sees it also sees every frame. */
    void markSenderClosed() {
        INT.setRelease(area, (long) SENDER_CLOSED_OFFSET, 1);
    }

    boolean senderClosed() {
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
