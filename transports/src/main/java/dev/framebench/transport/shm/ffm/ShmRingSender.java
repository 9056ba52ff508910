package dev.framebench.transport.shm.ffm;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.shm.Doorbell;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.RingHello;
import dev.framebench.transport.shm.RingWaiter;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static dev.framebench.transport.shm.ffm.ShmRing.INT;
import static dev.framebench.transport.shm.ffm.ShmRing.LONG;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.FRAME_RECORD;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.PADDING_RECORD;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.RECORD_HEADER_LENGTH;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.RECORD_RESERVED_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.alignedRecordLength;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.bodyOffset;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.frameDoesNotFit;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.lengthOffset;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.maxRecordBytes;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.typeOffset;

/**
 * The producing end of a {@code shm-ffm} ring: {@link #claim} hands out the frame's place in the ring
 * itself, so a producer that renders in place copies nothing, and the inherited {@code send} copies the
 * frame exactly once, into shared memory. {@link #commit()} publishes with one release store of
 * {@code tail}. A frame whose record does not fit before the ring's end is preceded by a padding record
 * and starts at offset 0: no frame is ever split.
 *
 * <p>Reads of shared memory per frame: none while the consumer position last read leaves room, else one
 * acquire load of {@code head}; then, after publishing, the futex waiter flag.
 *
 * <p>Threading: one thread claims, commits and closes.
 */
final class ShmRingSender implements FrameSender {
    private final ShmRing ring;
    private final MemorySegment data;
    private final int capacity;
    private final int maxRecordBytes;
    private final RingWaiter waiter;
    private final Doorbell dataDoorbell;
    private final RingViews views;
    // Made once, not per frame: the claim path is what the benchmark measures and must not allocate.
    private final RingWaiter.Condition spaceForClaim = this::spaceForClaim;
    private final RingWaiter.PeerCheck receiverCheck = this::deadReceiver;
    private final String awaitingSpace;
    private final long consumerPid;
    private final String receiverDied;
    /** This side is tail's only writer, so its own copy is exact. */
    private long tail;
    /** The consumer's position as last read: space before it is free without a shared load. */
    private long head;
    /** Where tail must be allowed to go for the claim being waited on. */
    private long wantedTail;
    /** Where tail moves on {@link #commit()}; -1 while nothing is claimed. */
    private long claimedTail = -1;
    private boolean closed;

    private ShmRingSender(ShmRing ring, IdleMode idle) {
        this.ring = ring;
        this.data = ring.data();
        this.capacity = ring.capacity();
        this.maxRecordBytes = maxRecordBytes(capacity);
        this.waiter = new RingWaiter(idle, ring.spaceDoorbell());
        this.dataDoorbell = ring.dataDoorbell();
        this.views = new RingViews(data, false);
        this.awaitingSpace = "waiting for space in ring " + ring.file();
        this.tail = ring.tailAcquire();
        this.head = ring.headAcquire();
        this.consumerPid = ring.consumerPid();
        this.receiverDied = "receiver pid " + consumerPid + " died; nothing consumes ring " + ring.file();
    }

    /**
     * Maps the ring at {@code file} and claims it for this process. Without a token on the receiver's side
     * a ring that has a producer refuses with one line; with one this sender presents {@code token}'s hello
     * and returns once the receiver has accepted it ({@link RingHello}), by {@code deadlineNanos}.
     */
    static ShmRingSender attach(Path file, IdleMode idle, RunToken token, long deadlineNanos) {
        ShmRing ring = ShmRing.attach(file);
        try {
            ring.producer().attach(ProcessHandle.current().pid(), ring.consumerPid(), token, deadlineNanos, file, "ring " + file);
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
        return new ShmRingSender(ring, idle);
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        if (claimedTail >= 0) {
            throw new IllegalStateException("commit() the claimed frame before claiming another");
        }
        if (frameBytes < 0) {
            throw new IllegalArgumentException("frameBytes=" + frameBytes + "; must be >= 0");
        }
        final long recordBytes = alignedRecordLength(frameBytes);
        if (recordBytes > maxRecordBytes) {
            throw new BadInputException(frameDoesNotFit(frameBytes, capacity));
        }
        final MemorySegment data = this.data;
        final int capacity = this.capacity;
        final long tail = this.tail;
        final int offset = (int) tail & (capacity - 1);
        final int bytesToEnd = capacity - offset;
        final int padding = recordBytes <= bytesToEnd ? 0 : bytesToEnd;
        final long end = tail + padding + recordBytes;
        if (end - head > capacity) {
            head = ring.headAcquire();
            if (end - head > capacity) {
                wantedTail = end;
                waiter.await(spaceForClaim, deadlineNanos, awaitingSpace, receiverCheck);
            }
        }
        int recordOffset = offset;
        if (padding != 0) {
            writeRecordHeader(data, offset, padding, PADDING_RECORD);
            recordOffset = 0;
        }
        writeRecordHeader(data, recordOffset, RECORD_HEADER_LENGTH + frameBytes, FRAME_RECORD);
        claimedTail = end;
        return views.view(bodyOffset(recordOffset), frameBytes);
    }

    /** Plain stores: the release store of tail in {@link #commit()} publishes them with the frame. */
    private static void writeRecordHeader(MemorySegment data, int recordOffset, int recordLength, int type) {
        data.set(INT, lengthOffset(recordOffset), recordLength);
        data.set(INT, typeOffset(recordOffset), type);
        for (int reserved = RECORD_RESERVED_OFFSET; reserved < RECORD_HEADER_LENGTH; reserved += Long.BYTES) {
            data.set(LONG, recordOffset + reserved, 0L);
        }
    }

    private boolean spaceForClaim() {
        head = ring.headAcquire();
        return wantedTail - head <= capacity;
    }

    private String deadReceiver() {
        return RingWaiter.isAlive(consumerPid) ? null : receiverDied;
    }

    @Override
    public void commit() {
        if (claimedTail < 0) {
            throw new IllegalStateException("claim() a frame before commit()");
        }
        tail = claimedTail;
        claimedTail = -1;
        ring.tailRelease(tail);
        dataDoorbell.ring();
    }

    /** Ends the stream after the last committed frame (a claimed, uncommitted one is dropped) and unmaps. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ring.producerClosedRelease();
            dataDoorbell.ring();
        } finally {
            ring.close();
        }
    }
}
