package dev.framebench.transport.shm.slots;

import dev.framebench.error.TransportException;
import dev.framebench.transport.shm.Doorbell;
import dev.framebench.transport.shm.ProducerFields;
import dev.framebench.transport.shm.RingHello;
import dev.framebench.transport.shm.ShmFiles;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.BAD_GEOMETRY;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.CONSUMER_PID_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.DATA_WAITER_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.ENTRY_FRAME_BYTES_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.ENTRY_SLOT_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.FREE_TAIL_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.HEADER_BYTES_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.HEADER_LENGTH;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.HEADER_OK;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.HELLO_REQUIRED_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.MAGIC;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.MAGIC_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.NOT_SLOTS;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.READY_TAIL_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.SLOT_BYTES_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.SLOT_COUNT_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.SPACE_WAITER_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.UNKNOWN_VERSION;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.VERSION;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.VERSION_OFFSET;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.freeEntryOffset;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.readyEntryOffset;
import static dev.framebench.transport.shm.slots.ShmSlotsDescriptor.slotOffset;

/**
 * One process's mapping of a slots file laid out as {@link ShmSlotsDescriptor} says: every shared control
 * field and queue entry behind an accessor whose name states its memory ordering, the slots, and the two
 * {@link Doorbell}s. Both sides map the whole file {@code MAP_SHARED} through
 * {@code FileChannel.map(READ_WRITE, 0, size, arena)}; as for the {@code shm-ffm} ring, a {@link VarHandle}
 * release store in one process and an acquire load in the other order the frame's bytes as between threads
 * (x86-64: plain moves the JIT may not reorder; aarch64: {@code stlr}/{@code ldar}).
 *
 * <p>Threading: each field has one writer (the descriptor names it); {@link #close()} from any thread (the
 * arena is shared), after which every view of the mapping is invalid.
 */
final class ShmSlots implements AutoCloseable {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** (MemorySegment, long offset) -> value; exact, so a call site with a wrong type fails instead of adapting slowly. */
    private static final VarHandle INT_FIELD = INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG_FIELD = LONG.varHandle().withInvokeExactBehavior();

    private final Path file;
    private final Arena arena;
    private final MemorySegment mapping;
    private final MemorySegment header;
    private final int slotCount;
    private final long slotBytes;
    private final MemorySegment[] slots;
    private final Doorbell dataDoorbell;
    private final Doorbell spaceDoorbell;
    private final ProducerFields producer;

    private ShmSlots(Path file, Arena arena, MemorySegment mapping, int slotCount, long slotBytes) {
        this.file = file;
        this.arena = arena;
        this.mapping = mapping;
        this.header = mapping.asSlice(0, HEADER_LENGTH);
        this.slotCount = slotCount;
        this.slotBytes = slotBytes;
        this.slots = new MemorySegment[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = mapping.asSlice(slotOffset(i, slotBytes), slotBytes);
        }
        this.dataDoorbell = new Doorbell(header.asSlice(DATA_WAITER_OFFSET, Doorbell.LENGTH));
        this.spaceDoorbell = new Doorbell(header.asSlice(SPACE_WAITER_OFFSET, Doorbell.LENGTH));
        this.producer = new ProducerFields(header);
    }

    /**
     * The consumer's side: maps {@code file} (fresh, zero-filled, of the descriptor's size), puts every slot
     * on the free queue, and writes the control area, magic last with a release store, so a producer that
     * sees the magic sees the rest; {@code helloRequired} when the consumer was given a token.
     */
    static ShmSlots create(Path file, int slotCount, long slotBytes, boolean helloRequired) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapping = ShmFiles.map(file, arena, "slots");
            mapping.set(INT, VERSION_OFFSET, VERSION);
            mapping.set(INT, HEADER_BYTES_OFFSET, HEADER_LENGTH);
            mapping.set(INT, SLOT_COUNT_OFFSET, slotCount);
            mapping.set(LONG, SLOT_BYTES_OFFSET, slotBytes);
            mapping.set(LONG, CONSUMER_PID_OFFSET, ProcessHandle.current().pid());
            mapping.set(INT, HELLO_REQUIRED_OFFSET, helloRequired ? 1 : 0);
            ShmSlots slots = new ShmSlots(file, arena, mapping, slotCount, slotBytes);
            slots.resetQueues();
            INT_FIELD.setRelease(mapping, (long) MAGIC_OFFSET, MAGIC);
            return slots;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The producer's side: maps an existing slots file and checks its control area, failing with one line. */
    static ShmSlots attach(Path file) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapping = ShmFiles.map(file, arena, "slots");
            long fileBytes = mapping.byteSize();
            if (fileBytes < HEADER_LENGTH) {
                throw new TransportException("not a framebench slots file: " + file + " is " + fileBytes + " bytes, less than its header");
            }
            int magic = (int) INT_FIELD.getAcquire(mapping, (long) MAGIC_OFFSET);
            int version = mapping.get(INT, VERSION_OFFSET);
            int headerBytes = mapping.get(INT, HEADER_BYTES_OFFSET);
            int slotCount = mapping.get(INT, SLOT_COUNT_OFFSET);
            long slotBytes = mapping.get(LONG, SLOT_BYTES_OFFSET);
            switch (ShmSlotsDescriptor.checkHeader(magic, version, headerBytes, slotCount, slotBytes, fileBytes)) {
                case HEADER_OK -> {
                    return new ShmSlots(file, arena, mapping, slotCount, slotBytes);
                }
                case NOT_SLOTS -> throw new TransportException(String.format(
                        "not a framebench slots file: %s has magic=0x%08x, expected 0x%08x (\"FBSL\")", file, magic, MAGIC));
                case UNKNOWN_VERSION -> throw new TransportException("slots file " + file + " has version=" + version
                        + "; this build speaks version=" + VERSION + ": run sender and receiver from the same build");
                case BAD_GEOMETRY -> throw new TransportException("slots file " + file + " has a bad geometry: headerBytes=" + headerBytes
                        + " slotCount=" + slotCount + " slotBytes=" + slotBytes + " fileBytes=" + fileBytes + "; expected headerBytes="
                        + HEADER_LENGTH + ", slotCount 2..64, slotBytes a multiple of 4096, fileBytes=headerBytes+slotCount*slotBytes");
                default -> throw new IllegalStateException("unknown header check result");
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Consumer, at creation and before it accepts a producer that presented the hello: every slot free, in
     * order, nothing ready. Plain stores but the last: a new file publishes them with its magic, an accepted
     * producer with {@code acceptedPid}, both release stores the producer reads with acquire before it starts.
     */
    void resetQueues() {
        for (int i = 0; i < slotCount; i++) {
            header.set(INT, freeEntryOffset(i) + ENTRY_SLOT_OFFSET, i);
            header.set(INT, freeEntryOffset(i) + ENTRY_FRAME_BYTES_OFFSET, 0);
        }
        header.set(LONG, READY_TAIL_OFFSET, 0L);
        LONG_FIELD.setRelease(header, (long) FREE_TAIL_OFFSET, (long) slotCount);
    }

    Path file() {
        return file;
    }

    int slotCount() {
        return slotCount;
    }

    long slotBytes() {
        return slotBytes;
    }

    /** Slot {@code slot}: {@code slotBytes} in the mapping, page-aligned. */
    MemorySegment slot(int slot) {
        return slots[slot];
    }

    /** The whole mapping, for a test that reads it as a foreign peer would. */
    MemorySegment mapping() {
        return mapping;
    }

    long consumerPid() {
        return header.get(LONG, CONSUMER_PID_OFFSET);
    }

    /** The producer's fields: producerPid, producerClosed, the hello; what a sender attaches through. */
    ProducerFields producer() {
        return producer;
    }


    long producerPidAcquire() {
        return producer.pidAcquire();
    }

    /** The file's one producer slot: producerPid, helloPid, acceptedPid and the hello. */
    RingHello.Slot producerSlot() {
        return producer.slot();
    }

    /** Consumer, before it accepts a producer: a stranger may have marked the stream closed. Published by acceptedPid. */
    void producerClosedReset() {
        producer.closedReset();
    }

    /** Producer: after its last {@link #readyTailRelease}, so a consumer that sees closed sees the final tail. */
    void producerClosedRelease() {
        producer.closedRelease();
    }

    boolean producerClosedAcquire() {
        return producer.closedAcquire();
    }

    /** Producer, plain stores: ready entry {@code position} names {@code slot} holding {@code frameBytes}; published by {@link #readyTailRelease}. */
    void putReadyEntry(long position, int slot, int frameBytes) {
        int entry = readyEntryOffset(position);
        header.set(INT, entry + ENTRY_SLOT_OFFSET, slot);
        header.set(INT, entry + ENTRY_FRAME_BYTES_OFFSET, frameBytes);
    }

    /** Producer: publishes every entry before {@code position} and every byte of the frames they name. */
    void readyTailRelease(long position) {
        LONG_FIELD.setRelease(header, (long) READY_TAIL_OFFSET, position);
    }

    /** Consumer: entries before the position read, and their frames, are visible after it. */
    long readyTailAcquire() {
        return (long) LONG_FIELD.getAcquire(header, (long) READY_TAIL_OFFSET);
    }

    int readySlot(long position) {
        return header.get(INT, readyEntryOffset(position) + ENTRY_SLOT_OFFSET);
    }

    int readyFrameBytes(long position) {
        return header.get(INT, readyEntryOffset(position) + ENTRY_FRAME_BYTES_OFFSET);
    }

    /** Consumer, plain store: free entry {@code position} returns {@code slot}; published by {@link #freeTailRelease}. */
    void putFreeEntry(long position, int slot) {
        header.set(INT, freeEntryOffset(position) + ENTRY_SLOT_OFFSET, slot);
    }

    /** Consumer: hands the slots before {@code position} back; its reads of them happen before the producer reuses them. */
    void freeTailRelease(long position) {
        LONG_FIELD.setRelease(header, (long) FREE_TAIL_OFFSET, position);
    }

    /** Producer: the consumer is done with every slot the entries before the position read name. */
    long freeTailAcquire() {
        return (long) LONG_FIELD.getAcquire(header, (long) FREE_TAIL_OFFSET);
    }

    int freeSlot(long position) {
        return header.get(INT, freeEntryOffset(position) + ENTRY_SLOT_OFFSET);
    }

    /** The consumer sleeps here for a ready slot; the producer rings it after each commit and at close. */
    Doorbell dataDoorbell() {
        return dataDoorbell;
    }

    /** The producer sleeps here for a free slot; the consumer rings it after each release. */
    Doorbell spaceDoorbell() {
        return spaceDoorbell;
    }

    /** Unmaps; the file stays (its owner, the consumer, deletes it). */
    @Override
    public void close() {
        arena.close();
    }
}
