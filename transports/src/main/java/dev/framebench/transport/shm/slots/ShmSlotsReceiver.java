package dev.framebench.transport.shm.slots;

import dev.framebench.error.TransportException;
import dev.framebench.frame.Framing;
import dev.framebench.transport.FrameReceiver;
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

/**
 * The consuming end of a {@code shm-slots} file, and the owner of the file: hands out each frame as a
 * read-only view of its slot, where the producer wrote it (no copy), and gives the slot back to the producer
 * on {@link #release()} with one free-queue entry and one release store of {@code freeTail}. Each frame passes
 * {@link Framing#checkMessage} first, as every transport that carries one frame per message does: a slot
 * holds exactly one frame, header first.
 *
 * <p>Reads of shared memory on the way to a frame: none while entries the last {@code readyTail} read
 * promised remain, else one acquire load of {@code readyTail}; then the ready entry, made visible by it.
 *
 * <p>Its sender: without a token the first process to claim {@code producerPid}; with one, the first whose
 * claim presents the run's hello ({@link RingHello}). Other claims are evicted and counted, and whatever a
 * stranger published or took before is forgotten: both queues are reset before the sender is accepted.
 *
 * <p>Threading: one thread receives and releases; {@link #close()} once it has stopped.
 */
final class ShmSlotsReceiver implements FrameReceiver {
    private final ShmSlots slots;
    private final int slotCount;
    private final long slotBytes;
    private final IdleMode idle;
    private final RingWaiter waiter;
    private final Doorbell spaceDoorbell;
    /** Per slot, the read-only view last handed out: remade only when the frame size changes, so a receive allocates nothing. */
    private final MemorySegment[] views;
    // Made once, not per frame: receive is what the benchmark measures and must not allocate.
    private final RingWaiter.Condition frameOrEnd = this::frameOrEnd;
    private final RingWaiter.PeerCheck senderCheck = this::deadSender;
    private final String awaitingSender;
    private final String awaitingFrame;
    /** Ready entries read; this side is the ready queue's only reader, so its head is private. */
    private long readyHead;
    /** The producer's position as last read: entries before it are readable without a shared load. */
    private long readyTail;
    /** Free entries published; this side is freeTail's only writer. */
    private long freeTail;
    /** The slot of the frame held, -1 while none is. */
    private int heldSlot = -1;
    private long senderPid;
    private String senderDied;
    private boolean senderAttached;
    private boolean closed;
    /** Null without a token: then the first claim is the sender. */
    private final RingHello.Watch helloWatch;
    private final RefusedSenders refused = new RefusedSenders("shm-slots");

    ShmSlotsReceiver(ShmSlots slots, IdleMode idle, RunToken token) {
        this.slots = slots;
        this.slotCount = slots.slotCount();
        this.slotBytes = slots.slotBytes();
        this.idle = idle;
        this.waiter = new RingWaiter(idle, slots.dataDoorbell());
        this.spaceDoorbell = slots.spaceDoorbell();
        this.views = new MemorySegment[slotCount];
        this.freeTail = slotCount;
        this.awaitingSender = "waiting for a sender to attach to slots file " + slots.file();
        this.awaitingFrame = "waiting for a frame in slots file " + slots.file();
        this.helloWatch = token == null ? null : new RingHello.Watch(slots.producerSlot(), token, refused, slots.file().toString());
    }

    /** The slots file's path: the sender maps it. */
    @Override
    public String endpoint() {
        return slots.file().toString();
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        if (senderAttached) {
            return;
        }
        long pid = RingHello.awaitProducer(slots.producerSlot(), helloWatch, deadlineNanos, awaitingSender);
        if (helloWatch != null) {
            // A stranger may have taken free slots and published frames before it was evicted: start over. The
            // sender reads the queues only after the acceptance below, whose release store publishes this reset.
            slots.resetQueues();
            slots.producerClosedReset();
            readyHead = 0;
            readyTail = 0;
            freeTail = slotCount;
        }
        slots.producerSlot().acceptedPidRelease(pid);
        senderPid = pid;
        senderDied = "sender pid " + pid + " died without closing the stream on slots file " + slots.file();
        senderAttached = true;
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        if (heldSlot >= 0) {
            throw new IllegalStateException("release() the frame received before receiving another");
        }
        awaitSender(deadlineNanos);
        final long head = readyHead;
        if (head == readyTail) {
            readyTail = slots.readyTailAcquire();
            if (head == readyTail) {
                waiter.await(frameOrEnd, deadlineNanos, awaitingFrame, senderCheck);
                readyTail = slots.readyTailAcquire();
                if (head == readyTail) {
                    return null;
                }
            }
        }
        final int slot = slots.readySlot(head);
        final int frameBytes = slots.readyFrameBytes(head);
        if (slot < 0 || slot >= slotCount || frameBytes < 0 || frameBytes > slotBytes || readyTail - head > slotCount) {
            throw new TransportException("corrupt slots file " + slots.file() + ": ready entry at position=" + head + " names slot=" + slot
                    + " frameBytes=" + frameBytes + " with readyTail=" + readyTail + "; expected slot 0.." + (slotCount - 1)
                    + ", frameBytes 0.." + slotBytes + " and at most " + slotCount + " entries ready");
        }
        MemorySegment view = views[slot];
        if (view == null || view.byteSize() != frameBytes) {
            view = slots.slot(slot).asSlice(0, frameBytes).asReadOnly();
            views[slot] = view;
        }
        Framing.checkMessage(view);
        readyHead = head + 1;
        heldSlot = slot;
        return view;
    }

    /** A frame was published, or the producer closed: either ends a wait for a frame. */
    private boolean frameOrEnd() {
        return slots.readyTailAcquire() != readyHead || slots.producerClosedAcquire();
    }

    private String deadSender() {
        return RingWaiter.isAlive(senderPid) ? null : senderDied;
    }

    @Override
    public void release() {
        if (heldSlot < 0) {
            return;
        }
        final long position = freeTail;
        slots.putFreeEntry(position, heldSlot);
        heldSlot = -1;
        freeTail = position + 1;
        slots.freeTailRelease(position + 1);
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
        d.put("slots", Integer.toString(slotCount));
        d.put("slotBytes", Long.toString(slotBytes));
        d.put("file", slots.file().toString());
        return d;
    }

    /** Unmaps the file and deletes it; a sender still attached keeps its own mapping until it closes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            slots.close();
        } finally {
            ShmFiles.delete(slots.file());
        }
    }
}
