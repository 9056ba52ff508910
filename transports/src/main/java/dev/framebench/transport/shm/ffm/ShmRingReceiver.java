package dev.framebench.transport.shm.ffm;

import dev.framebench.transport.FrameReceiver;
import dev.framebench.error.TransportException;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.shm.Doorbell;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.RingHello;
import dev.framebench.transport.shm.RingWaiter;
import dev.framebench.transport.shm.ShmFiles;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.framebench.transport.shm.ffm.ShmRing.INT;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.FRAME_RECORD;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.PADDING_RECORD;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.RECORD_HEADER_LENGTH;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.align;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.bodyOffset;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.lengthOffset;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.maxRecordBytes;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.typeOffset;

/**
 * The consuming end of a {@code shm-ffm} ring, and the owner of its file: hands out each frame as a
 * read-only view of the ring itself (no copy), and gives the frame's bytes back to the producer on
 * {@link #release()} with one release store of {@code head}. Padding records are skipped and released
 * with the frame after them.
 *
 * <p>Reads of shared memory on the way to a frame: none while frames the last {@code tail} read promised
 * remain, else one acquire load of {@code tail}; then the record header, made visible by that load.
 *
 * <p>Its sender: without a token the first process to claim {@code producerPid}; with one, the first whose
 * claim presents the run's hello ({@link RingHello}). Other claims are evicted and counted, and whatever a
 * stranger wrote into the ring before it is skipped: head moves to tail before the sender is accepted.
 *
 * <p>Threading: one thread receives and releases; {@link #close()} once it has stopped.
 */
final class ShmRingReceiver implements FrameReceiver {
    private final ShmRing ring;
    private final MemorySegment data;
    private final int capacity;
    private final int maxRecordBytes;
    private final IdleMode idle;
    private final RingWaiter waiter;
    private final Doorbell spaceDoorbell;
    private final RingViews views;
    // Made once, not per frame: receive is what the benchmark measures and must not allocate.
    private final RingWaiter.Condition frameOrEnd = this::frameOrEnd;
    private final RingWaiter.PeerCheck senderCheck = this::deadSender;
    private final String awaitingSender;
    private final String awaitingFrame;
    /** Position of the next record; this side is head's only writer, so its own copy is exact. */
    private long head;
    /** The producer's position as last read: records before it are readable without a shared load. */
    private long tail;
    /** Where head moves on {@link #release()}; -1 while no frame is held. */
    private long releasePosition = -1;
    private long senderPid;
    private String senderDied;
    private boolean senderAttached;
    private boolean closed;
    /** Null without a token: then the first claim is the sender. */
    private final RingHello.Watch helloWatch;
    private final RefusedSenders refused = new RefusedSenders("shm-ffm");

    ShmRingReceiver(ShmRing ring, IdleMode idle, RunToken token) {
        this.ring = ring;
        this.data = ring.data();
        this.capacity = ring.capacity();
        this.maxRecordBytes = maxRecordBytes(capacity);
        this.idle = idle;
        this.waiter = new RingWaiter(idle, ring.dataDoorbell());
        this.spaceDoorbell = ring.spaceDoorbell();
        this.views = new RingViews(data, true);
        this.awaitingSender = "waiting for a sender to attach to ring " + ring.file();
        this.awaitingFrame = "waiting for a frame in ring " + ring.file();
        this.helloWatch = token == null ? null : new RingHello.Watch(ring.producerSlot(), token, refused, ring.file().toString());
    }

    /** The ring file's path: the sender maps it. */
    @Override
    public String endpoint() {
        return ring.file().toString();
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        if (senderAttached) {
            return;
        }
        long pid = RingHello.awaitProducer(ring.producerSlot(), helloWatch, deadlineNanos, awaitingSender);
        if (helloWatch != null) {
            // Records a stranger published before it was evicted are skipped; the sender reads both positions
            // only after the acceptance below, whose release store publishes these.
            head = ring.tailAcquire();
            tail = head;
            ring.headRelease(head);
            ring.producerClosedReset();
        }
        ring.producerSlot().acceptedPidRelease(pid);
        senderPid = pid;
        senderDied = "sender pid " + pid + " died without closing the stream on ring " + ring.file();
        senderAttached = true;
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        if (releasePosition >= 0) {
            throw new IllegalStateException("release() the frame received before receiving another");
        }
        awaitSender(deadlineNanos);
        final MemorySegment data = this.data;
        final int capacity = this.capacity;
        while (true) {
            final long head = this.head;
            if (head == tail) {
                tail = ring.tailAcquire();
                if (head == tail) {
                    waiter.await(frameOrEnd, deadlineNanos, awaitingFrame, senderCheck);
                    tail = ring.tailAcquire();
                    if (head == tail) {
                        return null;
                    }
                }
            }
            final int offset = (int) head & (capacity - 1);
            final int recordLength = data.get(INT, lengthOffset(offset));
            final int type = data.get(INT, typeOffset(offset));
            final long end = head + align(recordLength);
            if (type == FRAME_RECORD && recordLength >= RECORD_HEADER_LENGTH && recordLength <= maxRecordBytes
                    && offset + recordLength <= capacity && end - tail <= 0) {
                releasePosition = end;
                return views.view(bodyOffset(offset), recordLength - RECORD_HEADER_LENGTH);
            }
            if (type == PADDING_RECORD && recordLength == capacity - offset && end - tail <= 0) {
                this.head = end;
                continue;
            }
            throw new TransportException("corrupt ring " + ring.file() + ": record at position=" + head + " offset=" + offset
                    + " has type=" + type + " recordLength=" + recordLength + " with tail=" + tail + " capacity=" + capacity
                    + "; expected a frame (type=1, 64 <= recordLength <= " + maxRecordBytes + ") or padding to the ring's end (type=2)");
        }
    }

    /** A record was published, or the producer closed: either ends a wait for a frame. */
    private boolean frameOrEnd() {
        return ring.tailAcquire() != head || ring.producerClosedAcquire();
    }

    private String deadSender() {
        return RingWaiter.isAlive(senderPid) ? null : senderDied;
    }

    @Override
    public void release() {
        if (releasePosition < 0) {
            return;
        }
        head = releasePosition;
        releasePosition = -1;
        ring.headRelease(head);
        spaceDoorbell.ring();
    }

    @Override
    public int foreignConnectionsRefused() {
        return refused.count();
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("idle", idle.modeName());
        d.put("ringBytes", Integer.toString(capacity));
        d.put("maxFrameBytes", Integer.toString(maxRecordBytes - RECORD_HEADER_LENGTH));
        d.put("file", ring.file().toString());
        return d;
    }

    /** Unmaps the ring and deletes its file; a sender still attached keeps its own mapping until it closes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ring.close();
        } finally {
            ShmFiles.delete(ring.file());
        }
    }
}
