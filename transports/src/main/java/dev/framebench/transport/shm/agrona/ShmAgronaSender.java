package dev.framebench.transport.shm.agrona;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.RingHello;
import dev.framebench.transport.shm.RingWaiter;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.lang.foreign.MemorySegment;

/**
 * Writes frames straight into the ring the receiver created: {@link #claim} is Agrona's {@code tryClaim},
 * handing out the record's bytes in the mapping, and {@link #commit()} publishes it. The default
 * {@code send} (claim, copy, commit) is this transport's one copy per frame. When the ring is full the
 * sender waits by its {@code idle} mode until the receiver releases a frame.
 *
 * <p>On a ring whose receiver was given a token it first presents the run's hello in its slot and waits to
 * be accepted ({@link RingHello}); on a many-producer ring its frames then carry its slot's message type.
 *
 * <p>Threading: one sending thread.
 */
final class ShmAgronaSender implements FrameSender {
    private final RingFile file;
    private final org.agrona.concurrent.ringbuffer.RingBuffer ring;
    private final RingControl control;
    private final RingWaiter waiter;
    private final String endpoint;
    private final long receiverPid;
    // Built once, not per frame: the claim path is what the benchmark measures and must not allocate.
    private final String awaitingRoom;
    private final RingWaiter.Condition roomClaimed;
    private final RingWaiter.PeerCheck receiverCheck;
    /** The sender slot this sender holds: 0 on a one-producer ring; with many, its sender-table entry. */
    private final int slot;
    /** {@link RingFileDescriptor#FRAME_MSG_TYPE_ID}, or with a token on a many-producer ring its slot's tag. */
    private final int frameMsgTypeId;
    private int claimBytes;
    /** Payload index of the claimed record, -1 when none is claimed. */
    private int claimedIndex = -1;
    private boolean closed;

    private ShmAgronaSender(RingFile file, IdleMode idle, int slot, int frameMsgTypeId) {
        this.file = file;
        this.ring = file.ring();
        this.control = file.control();
        this.waiter = new RingWaiter(idle, control.spaceDoorbell());
        this.endpoint = file.path().toString();
        this.receiverPid = control.receiverPid();
        this.awaitingRoom = "waiting for room in shm-agrona ring " + endpoint
                + " (receiver pid " + receiverPid + " is not releasing frames)";
        this.roomClaimed = this::tryClaim;
        this.receiverCheck = this::deadReceiver;
        this.slot = slot;
        this.frameMsgTypeId = frameMsgTypeId;
    }

    /**
     * Attaches to the ring. Without a token on the receiver's side as its one sender (a second one is
     * refused with one line and changes nothing) or one more of many; with one, by presenting {@code token}'s
     * hello and waiting, by {@code deadlineNanos}, until the receiver accepts it.
     */
    static ShmAgronaSender attach(RingFile file, IdleMode idle, RunToken token, long deadlineNanos) {
        long pid = ProcessHandle.current().pid();
        RingControl control = file.control();
        int slot;
        int frameMsgTypeId = RingFileDescriptor.FRAME_MSG_TYPE_ID;
        try {
            if (control.helloRequired()) {
                slot = presentHello(file, token, pid, deadlineNanos);
                if (control.manyProducers()) {
                    frameMsgTypeId = RingFileDescriptor.TAGGED_FRAME_MSG_TYPE_ID + slot;
                }
            } else {
                slot = control.attachSender(pid);
                if (slot == RingControl.NOT_ATTACHED) {
                    throw new TransportException("shm-agrona ring " + file.path() + " already has a sender (pid " + control.senderPid()
                            + "); a second one is refused");
                }
            }
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        // A receiver asleep in awaitSender wakes on the same doorbell as for frames.
        control.dataDoorbell().ring();
        return new ShmAgronaSender(file, idle, slot, frameMsgTypeId);
    }

    /** Claims a slot (the one, or a free one of many), presents the hello there, returns the slot once accepted. */
    private static int presentHello(RingFile file, RunToken token, long pid, long deadlineNanos) {
        RingControl control = file.control();
        String ring = file.path().toString();
        if (token == null) {
            throw new BadInputException("shm-agrona ring " + ring + " takes only a sender that presents the run's token; give this sender the"
                    + " receiver's " + RunToken.KEY + "=");
        }
        long receiverPid = control.receiverPid();
        RingWaiter.PeerCheck receiverGone = () -> RingWaiter.isAlive(receiverPid) ? null
                : "shm-agrona receiver pid " + receiverPid + " is gone (ring " + ring + ")";
        int slot = 0;
        if (control.manyProducers()) {
            while (slot < RingFileDescriptor.SENDER_TABLE_SLOTS && control.slot(slot).claim(pid) != 0) {
                slot++;
            }
            if (slot == RingFileDescriptor.SENDER_TABLE_SLOTS) {
                throw new TransportException("shm-agrona-mpsc ring " + ring + " has no free sender slot (" + RingFileDescriptor.SENDER_TABLE_SLOTS
                        + " in use); a sender with a token needs one to present its hello");
            }
            control.countAttached();
        } else {
            RingHello.claim(control.slot(0), pid, deadlineNanos, ring, receiverGone);
        }
        // The receiver may be asleep on the data doorbell: the hello is what it waits for now.
        RingHello.present(control.slot(slot), token, pid, deadlineNanos, ring, receiverGone, control.dataDoorbell()::ring);
        return slot;
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        requireOpen();
        if (claimedIndex >= 0) {
            throw new IllegalStateException("commit() the frame claimed from shm-agrona ring " + endpoint + " before claiming another");
        }
        RingCapacity.requireFits(frameBytes, file.capacity());
        claimBytes = frameBytes;
        waiter.await(roomClaimed, deadlineNanos, awaitingRoom, receiverCheck);
        return file.records().asSlice(claimedIndex, frameBytes);
    }

    @Override
    public void commit() {
        requireOpen();
        if (claimedIndex < 0) {
            throw new IllegalStateException("nothing claimed to commit in shm-agrona ring " + endpoint);
        }
        ring.commit(claimedIndex);
        claimedIndex = -1;
        control.dataDoorbell().ring();
    }

    private boolean tryClaim() {
        if (claimedIndex >= 0) {
            return true;
        }
        int index = ring.tryClaim(frameMsgTypeId, claimBytes);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY) {
            return false;
        }
        claimedIndex = index;
        return true;
    }

    private String deadReceiver() {
        return RingWaiter.isAlive(receiverPid) ? null : "shm-agrona receiver pid " + receiverPid + " is gone (ring " + endpoint + ")";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("shm-agrona sender on " + endpoint + " is closed");
        }
    }

    /**
     * Ends the stream cleanly: a frame claimed but not committed is turned into padding, then the closed
     * flag is set after the last commit, so the receiver reads every frame and then end of stream.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (claimedIndex >= 0) {
                ring.abort(claimedIndex);
                claimedIndex = -1;
            }
            control.markSenderClosed(ProcessHandle.current().pid(), slot);
            control.dataDoorbell().ring();
        } finally {
            file.close();
        }
    }
}
