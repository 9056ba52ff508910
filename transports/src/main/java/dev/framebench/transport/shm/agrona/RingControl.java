package dev.framebench.transport.shm.agrona;

import dev.framebench.frame.SenderHello;
import dev.framebench.transport.shm.Doorbell;
import dev.framebench.transport.shm.RingHello;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.framebench.transport.shm.agrona.RingFileDescriptor.CAPACITY_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.DATA_DOORBELL_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.HELLO_ENTRY_ACCEPTED_PID_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.HELLO_ENTRY_HELLO_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.HELLO_ENTRY_HELLO_PID_OFFSET;
import static dev.framebench.transport.shm.agrona.RingFileDescriptor.HELLO_REQUIRED_OFFSET;
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
 * <p>The hello protocol ({@link RingHello}) sees it as slots: {@link #slot(int)} 0 of a one-producer ring is
 * the sender pid field with hello entry 0; slot i of a many-producer ring is entry i of the sender table
 * with hello entry i.
 *
 * <p>Threading: any thread of either process; each method is one atomic access (or a few, as documented).
 */
final class RingControl {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** Returned by {@link #attachSender} when the one-producer ring has a sender already. */
    static final int NOT_ATTACHED = -1;

    private final MemorySegment area;
    private final Doorbell dataDoorbell;
    private final Doorbell spaceDoorbell;
    private final RingHello.Slot[] slots = new RingHello.Slot[SENDER_TABLE_SLOTS];

    /** {@code area} is the control area of a mapping, {@link RingFileDescriptor#CONTROL_LENGTH} bytes. */
    RingControl(MemorySegment area) {
        this.area = area;
        this.dataDoorbell = new Doorbell(area.asSlice(DATA_DOORBELL_OFFSET, Doorbell.LENGTH));
        this.spaceDoorbell = new Doorbell(area.asSlice(SPACE_DOORBELL_OFFSET, Doorbell.LENGTH));
    }

    /**
     * Called by the receiver on a new, zeroed file before it publishes the endpoint; the magic goes last.
     * {@code helloRequired} when the receiver was given a token.
     */
    void initialise(int capacity, long receiverPid, boolean manyProducers, boolean helloRequired) {
        INT.set(area, (long) VERSION_OFFSET, VERSION);
        INT.set(area, (long) PRODUCERS_OFFSET, manyProducers ? MANY_PRODUCERS : 0);
        INT.set(area, (long) HELLO_REQUIRED_OFFSET, helloRequired ? 1 : 0);
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

    /** Whether the receiver takes only senders that present the run's hello; read after the magic's acquire. */
    boolean helloRequired() {
        return (int) INT.get(area, (long) HELLO_REQUIRED_OFFSET) != 0;
    }

    /**
     * Makes {@code pid} the one sender and returns slot 0, or {@link #NOT_ATTACHED} when another already is;
     * with many producers, counts one more and names it in the first free slot of the sender table, whose
     * index it returns ({@link RingFileDescriptor#SENDER_TABLE_SLOTS} past the last: then it is only counted).
     * The sender pid field holds the first sender either way.
     */
    int attachSender(long pid) {
        boolean first = LONG.compareAndSet(area, (long) SENDER_PID_OFFSET, 0L, pid);
        if (!manyProducers()) {
            return first ? 0 : NOT_ATTACHED;
        }
        int slot = 0;
        while (slot < SENDER_TABLE_SLOTS && !LONG.compareAndSet(area, slotOffset(slot), 0L, pid)) {
            slot++;
        }
        int unused = (int) INT.getAndAdd(area, (long) SENDERS_ATTACHED_OFFSET, 1);
        return slot;
    }

    /**
     * The hello protocol's view of sender slot {@code slot}: slot 0 of a one-producer ring (its sender pid
     * field), or entry {@code slot} of a many-producer ring's sender table; each with its hello entry.
     */
    RingHello.Slot slot(int slot) {
        RingHello.Slot view = slots[slot];
        if (view == null) {
            view = manyProducers() ? new HelloSlot(slotOffset(slot), slot, -1) : new HelloSlot(SENDER_PID_OFFSET, 0, SENDER_CLOSED_OFFSET);
            slots[slot] = view;
        }
        return view;
    }

    /** Many producers, a sender with a token: counted as attached, as {@link #attachSender} counts the others. */
    void countAttached() {
        int unused = (int) INT.getAndAdd(area, (long) SENDERS_ATTACHED_OFFSET, 1);
    }

    /** The raw value of sender table slot {@code slot}: 0 free, pid attached, -pid closed cleanly. Acquire. */
    long slotValue(int slot) {
        return (long) LONG.getAcquire(area, slotOffset(slot));
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

    /**
     * Written after the last commit: release, so a reader that sees it also sees every frame. {@code slot}
     * is what {@link #attachSender} returned (or the slot claimed with a hello); with many producers that
     * slot gets -pid, or, past the table, the first slot holding {@code pid}.
     */
    void markSenderClosed(long pid, int slot) {
        if (manyProducers()) {
            if (slot < 0 || slot >= SENDER_TABLE_SLOTS || !LONG.compareAndSet(area, slotOffset(slot), pid, -pid)) {
                for (int other = 0; other < SENDER_TABLE_SLOTS; other++) {
                    if (LONG.compareAndSet(area, slotOffset(other), pid, -pid)) {
                        break;
                    }
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

    /**
     * A slot of {@link RingHello}: its claimed-pid field (the sender pid, or a sender-table entry), its hello
     * entry, and, for the one producer, the closed flag an evicted claimer may have set.
     */
    private final class HelloSlot implements RingHello.Slot {
        private final long claimedOffset;
        private final long entryOffset;
        private final long closedOffset;
        private final MemorySegment hello;

        HelloSlot(long claimedOffset, int entry, long closedOffset) {
            this.claimedOffset = claimedOffset;
            this.entryOffset = RingFileDescriptor.helloEntryOffset(entry);
            this.closedOffset = closedOffset;
            this.hello = area.asSlice(entryOffset + HELLO_ENTRY_HELLO_OFFSET, SenderHello.LENGTH);
        }

        @Override
        public long claimedPidAcquire() {
            return (long) LONG.getAcquire(area, claimedOffset);
        }

        @Override
        public long claim(long pid) {
            return (long) LONG.compareAndExchange(area, claimedOffset, 0L, pid);
        }

        @Override
        public MemorySegment hello() {
            return hello;
        }

        @Override
        public void helloPidRelease(long pid) {
            LONG.setRelease(area, entryOffset + HELLO_ENTRY_HELLO_PID_OFFSET, pid);
        }

        @Override
        public long helloPidAcquire() {
            return (long) LONG.getAcquire(area, entryOffset + HELLO_ENTRY_HELLO_PID_OFFSET);
        }

        @Override
        public void acceptedPidRelease(long pid) {
            LONG.setRelease(area, entryOffset + HELLO_ENTRY_ACCEPTED_PID_OFFSET, pid);
        }

        @Override
        public long acceptedPidAcquire() {
            return (long) LONG.getAcquire(area, entryOffset + HELLO_ENTRY_ACCEPTED_PID_OFFSET);
        }

        /** Hello, hello pid and (one producer) the closed flag reset, then the CAS, whose full fence orders them first. */
        @Override
        public void evict(long pid) {
            hello.fill((byte) 0);
            LONG.setRelease(area, entryOffset + HELLO_ENTRY_HELLO_PID_OFFSET, 0L);
            if (closedOffset >= 0) {
                INT.setRelease(area, closedOffset, 0);
            }
            boolean unused = LONG.compareAndSet(area, claimedOffset, pid, 0L);
        }
    }

    /** One producer, before its sender is accepted: a stranger may have marked the stream closed. Release. */
    void senderClosedReset() {
        INT.setRelease(area, (long) SENDER_CLOSED_OFFSET, 0);
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
