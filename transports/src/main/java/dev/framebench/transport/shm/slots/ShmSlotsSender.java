package dev.framebench.transport.shm.slots;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.shm.Doorbell;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.RingHello;
import dev.framebench.transport.shm.RingWaiter;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The producing end of a {@code shm-slots} file: {@link #claim} hands out the next free slot itself (as
 * long as the frame of {@code frameBytes}), and {@link #commit()} publishes its index and the frame's length
 * on the ready queue with one release store of {@code readyTail}. Nothing is copied by the transport: a
 * caller that keeps its pictures in the {@link #lentFrames lent frames} (the harness renders them once)
 * sends a frame by stamping its header in place; a caller that writes a whole frame into each claim (the
 * inherited {@code send}) copies it once, into shared memory, as into the {@code shm-ffm} ring.
 *
 * <p>Reads of shared memory per frame: none while the free entries the last {@code freeTail} read promised
 * remain, else one acquire load of {@code freeTail}; then the free entry, made visible by that load; after
 * publishing, the futex waiter count.
 *
 * <p>Threading: one thread claims, commits and closes.
 */
final class ShmSlotsSender implements FrameSender {
    private final ShmSlots slots;
    private final int slotCount;
    private final long slotBytes;
    private final RingWaiter waiter;
    private final Doorbell dataDoorbell;
    /** Per slot, the view last handed out: remade only when the frame size changes, so a claim allocates nothing. */
    private final MemorySegment[] views;
    // Made once, not per frame: the claim path is what the benchmark measures and must not allocate.
    private final RingWaiter.Condition slotFree = this::slotFree;
    private final RingWaiter.PeerCheck receiverCheck = this::deadReceiver;
    private final String awaitingSlot;
    private final long consumerPid;
    private final String receiverDied;
    /** Free entries taken; this side is the free queue's only reader, so its head is private. */
    private long freeHead;
    /** The consumer's free position as last read: entries before it are readable without a shared load. */
    private long freeTail;
    /** Ready entries published; this side is readyTail's only writer, so its own copy is exact. */
    private long readyTail;
    /** The slot claimed and not yet committed, -1 when none; and the claimed frame's length. */
    private int claimedSlot = -1;
    private int claimedBytes;
    private boolean claimedOnce;
    private boolean lent;
    private boolean closed;

    private ShmSlotsSender(ShmSlots slots, IdleMode idle) {
        this.slots = slots;
        this.slotCount = slots.slotCount();
        this.slotBytes = slots.slotBytes();
        this.waiter = new RingWaiter(idle, slots.spaceDoorbell());
        this.dataDoorbell = slots.dataDoorbell();
        this.views = new MemorySegment[slotCount];
        this.awaitingSlot = "waiting for a free slot in " + slots.file();
        // Both positions start at 0 (a new file, or the reset the consumer published with acceptedPid, acquired before this).
        this.freeHead = 0;
        this.readyTail = 0;
        this.freeTail = slots.freeTailAcquire();
        this.consumerPid = slots.consumerPid();
        this.receiverDied = "receiver pid " + consumerPid + " died; nothing consumes slots file " + slots.file();
    }

    /**
     * Maps the slots file at {@code file} and claims it for this process. Without a token on the receiver's
     * side a file that has a producer refuses with one line; with one this sender presents {@code token}'s hello
     * and returns once the receiver has accepted it ({@link RingHello}), by {@code deadlineNanos}.
     */
    static ShmSlotsSender attach(Path file, IdleMode idle, RunToken token, long deadlineNanos) {
        ShmSlots slots = ShmSlots.attach(file);
        try {
            slots.producer().attach(ProcessHandle.current().pid(), slots.consumerPid(), token, deadlineNanos, file, "slots file " + file);
        } catch (RuntimeException e) {
            slots.close();
            throw e;
        }
        return new ShmSlotsSender(slots, idle);
    }

    /**
     * Slot {@code i}'s first {@code frameBytes}, for {@code i} from 0 to {@code slots - 1}: the k-th claim returns
     * lent frame {@code k mod slots} because the free queue starts in slot order and the receiver returns slots
     * in the order it received them.
     */
    @Override
    public List<MemorySegment> lentFrames(int frameBytes) {
        if (claimedOnce || lent) {
            throw new IllegalStateException("lentFrames must be called once, before the first claim: claimed=" + claimedOnce + " lent=" + lent);
        }
        requireFits(frameBytes);
        lent = true;
        for (int slot = 0; slot < slotCount; slot++) {
            views[slot] = slots.slot(slot).asSlice(0, frameBytes);
        }
        return List.copyOf(Arrays.asList(views));
    }

    private void requireFits(int frameBytes) {
        if (frameBytes < 0) {
            throw new IllegalArgumentException("frameBytes=" + frameBytes + "; must be >= 0");
        }
        if (frameBytes > slotBytes) {
            throw new BadInputException(ShmSlotsDescriptor.frameDoesNotFit(frameBytes, slotBytes));
        }
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        if (claimedSlot >= 0) {
            throw new IllegalStateException("commit() the claimed frame before claiming another");
        }
        requireFits(frameBytes);
        final long freeHead = this.freeHead;
        if (freeHead == freeTail) {
            freeTail = slots.freeTailAcquire();
            if (freeHead == freeTail) {
                waiter.await(slotFree, deadlineNanos, awaitingSlot, receiverCheck);
            }
        }
        final int slot = slots.freeSlot(freeHead);
        if (slot < 0 || slot >= slotCount) {
            throw new TransportException("corrupt slots file " + slots.file() + ": free entry at position=" + freeHead + " names slot="
                    + slot + "; expected 0.." + (slotCount - 1));
        }
        this.freeHead = freeHead + 1;
        claimedSlot = slot;
        claimedBytes = frameBytes;
        claimedOnce = true;
        MemorySegment view = views[slot];
        if (view == null || view.byteSize() != frameBytes) {
            view = slots.slot(slot).asSlice(0, frameBytes);
            views[slot] = view;
        }
        return view;
    }

    private boolean slotFree() {
        freeTail = slots.freeTailAcquire();
        return freeTail != freeHead;
    }

    private String deadReceiver() {
        return RingWaiter.isAlive(consumerPid) ? null : receiverDied;
    }

    @Override
    public void commit() {
        if (claimedSlot < 0) {
            throw new IllegalStateException("claim() a frame before commit()");
        }
        final long position = readyTail;
        slots.putReadyEntry(position, claimedSlot, claimedBytes);
        claimedSlot = -1;
        readyTail = position + 1;
        slots.readyTailRelease(position + 1);
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
            slots.producerClosedRelease();
            dataDoorbell.ring();
        } finally {
            slots.close();
        }
    }
}
