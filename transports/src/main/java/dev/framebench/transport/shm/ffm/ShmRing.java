package dev.framebench.transport.shm.ffm;

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

import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.BAD_GEOMETRY;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.CAPACITY_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.CONSUMER_PID_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.DATA_WAITER_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEADER_BYTES_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEADER_LENGTH;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEADER_OK;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HELLO_REQUIRED_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEAD_POSITION_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.MAGIC;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.MAGIC_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.NOT_A_RING;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.SPACE_WAITER_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.TAIL_POSITION_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.UNKNOWN_VERSION;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.VERSION;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.VERSION_OFFSET;

/**
 * One process's mapping of a ring file laid out as {@link ShmRingDescriptor} says: every shared header
 * field behind an accessor whose name states its memory ordering, the data region, and the two
 * {@link Doorbell}s. Both sides map the file with {@code FileChannel.map(READ_WRITE, 0, size, arena)}, so
 * the same physical pages back both mappings.
 *
 * <p>Ordering across processes: the Java memory model speaks of threads, but a {@link VarHandle} access
 * compiles to the same instructions whichever process the other party lives in (x86-64: acquire and
 * release are plain moves the JIT may not reorder, {@link VarHandle#fullFence()} and CAS are locked
 * instructions; aarch64: {@code ldar}, {@code stlr}, {@code dmb ish}), and the hardware orders those on
 * the shared physical memory. So a release store of {@code tail} in the producer JVM, read by an acquire
 * load in the consumer JVM, makes every frame byte written before it visible, exactly as between threads.
 *
 * <p>Threading: each field has one writer (the descriptor names it); {@link #close()} from any thread
 * (the arena is shared), after which every view of the mapping is invalid.
 */
final class ShmRing implements AutoCloseable {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** (MemorySegment, long offset) -> int; exact, so a call site with a wrong type fails instead of adapting slowly. */
    static final VarHandle INT_FIELD = INT.varHandle().withInvokeExactBehavior();
    static final VarHandle LONG_FIELD = LONG.varHandle().withInvokeExactBehavior();

    private final Path file;
    private final Arena arena;
    private final MemorySegment header;
    private final MemorySegment data;
    private final int capacity;
    private final Doorbell dataDoorbell;
    private final Doorbell spaceDoorbell;
    private final ProducerFields producer;

    private ShmRing(Path file, Arena arena, MemorySegment mapping, int capacity) {
        this.file = file;
        this.arena = arena;
        this.header = mapping.asSlice(0, HEADER_LENGTH);
        this.data = mapping.asSlice(HEADER_LENGTH, capacity);
        this.capacity = capacity;
        // Each doorbell is its waiter flag and the futex word after it (DATA_FUTEX_OFFSET = DATA_WAITER_OFFSET + 4).
        this.dataDoorbell = new Doorbell(header.asSlice(DATA_WAITER_OFFSET, Doorbell.LENGTH));
        this.spaceDoorbell = new Doorbell(header.asSlice(SPACE_WAITER_OFFSET, Doorbell.LENGTH));
        this.producer = new ProducerFields(header);
    }

    /**
     * The consumer's side: maps {@code file} (fresh, zero-filled, {@code HEADER_LENGTH + capacity} bytes)
     * and writes the header, magic last with a release store, so a producer that sees the magic sees the
     * rest; {@code helloRequired} when the consumer was given a token.
     */
    static ShmRing create(Path file, int capacity, boolean helloRequired) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapping = ShmFiles.map(file, arena, "ring");
            mapping.set(INT, VERSION_OFFSET, VERSION);
            mapping.set(INT, HEADER_BYTES_OFFSET, HEADER_LENGTH);
            mapping.set(LONG, CAPACITY_OFFSET, capacity);
            mapping.set(LONG, CONSUMER_PID_OFFSET, ProcessHandle.current().pid());
            mapping.set(INT, HELLO_REQUIRED_OFFSET, helloRequired ? 1 : 0);
            INT_FIELD.setRelease(mapping, (long) MAGIC_OFFSET, MAGIC);
            return new ShmRing(file, arena, mapping, capacity);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The producer's side: maps an existing ring and checks its header, failing with one line. */
    static ShmRing attach(Path file) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapping = ShmFiles.map(file, arena, "ring");
            long fileBytes = mapping.byteSize();
            if (fileBytes < HEADER_LENGTH) {
                throw new TransportException("not a framebench ring: " + file + " is " + fileBytes + " bytes, less than its header");
            }
            int magic = (int) INT_FIELD.getAcquire(mapping, (long) MAGIC_OFFSET);
            int version = mapping.get(INT, VERSION_OFFSET);
            int headerBytes = mapping.get(INT, HEADER_BYTES_OFFSET);
            long capacity = mapping.get(LONG, CAPACITY_OFFSET);
            switch (ShmRingDescriptor.checkHeader(magic, version, headerBytes, capacity, fileBytes)) {
                case HEADER_OK -> {
                    return new ShmRing(file, arena, mapping, (int) capacity);
                }
                case NOT_A_RING -> throw new TransportException(String.format(
                        "not a framebench ring: %s has magic=0x%08x, expected 0x%08x (\"FBRG\")", file, magic, MAGIC));
                case UNKNOWN_VERSION -> throw new TransportException("ring " + file + " has version=" + version
                        + "; this build speaks version=" + VERSION + ": run sender and receiver from the same build");
                case BAD_GEOMETRY -> throw new TransportException("ring " + file + " has a bad geometry: headerBytes=" + headerBytes
                        + " capacity=" + capacity + " fileBytes=" + fileBytes
                        + "; expected headerBytes=" + HEADER_LENGTH + ", capacity a power of two, fileBytes=headerBytes+capacity");
                default -> throw new IllegalStateException("unknown header check result");
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    int capacity() {
        return capacity;
    }

    /** The data region: {@code capacity} bytes of records, offset 0 at the ring's first byte. */
    MemorySegment data() {
        return data;
    }

    long consumerPid() {
        return header.get(LONG, CONSUMER_PID_OFFSET);
    }


    /** The producer's fields: producerPid, producerClosed, the hello; what a sender attaches through. */
    ProducerFields producer() {
        return producer;
    }

    /** The ring's one producer slot: producerPid, helloPid, acceptedPid and the hello. */
    RingHello.Slot producerSlot() {
        return producer.slot();
    }

    /** Consumer, before it accepts a producer: a stranger may have marked the stream closed. Release: published by acceptedPid. */
    void producerClosedReset() {
        producer.closedReset();
    }

    /** Producer: after its last {@link #tailRelease}, so a consumer that sees closed sees the final tail. */
    void producerClosedRelease() {
        producer.closedRelease();
    }

    boolean producerClosedAcquire() {
        return producer.closedAcquire();
    }

    /** Producer: publishes every record byte written before it. */
    void tailRelease(long position) {
        LONG_FIELD.setRelease(header, (long) TAIL_POSITION_OFFSET, position);
    }

    /** Consumer: every record byte before the position read is visible after it. */
    long tailAcquire() {
        return (long) LONG_FIELD.getAcquire(header, (long) TAIL_POSITION_OFFSET);
    }

    /** Consumer: hands the bytes before {@code position} back; its reads of them happen before the producer reuses them. */
    void headRelease(long position) {
        LONG_FIELD.setRelease(header, (long) HEAD_POSITION_OFFSET, position);
    }

    /** Producer: the consumer is done with every byte before the position read. */
    long headAcquire() {
        return (long) LONG_FIELD.getAcquire(header, (long) HEAD_POSITION_OFFSET);
    }

    /** The consumer sleeps here for data; the producer rings it after each commit and at close. */
    Doorbell dataDoorbell() {
        return dataDoorbell;
    }

    /** The producer sleeps here for space; the consumer rings it after each release. */
    Doorbell spaceDoorbell() {
        return spaceDoorbell;
    }

    /** Unmaps; the file stays (its owner, the consumer, deletes it). */
    @Override
    public void close() {
        arena.close();
    }
}
