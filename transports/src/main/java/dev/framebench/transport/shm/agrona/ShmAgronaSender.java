package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.RingWaiter;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.lang.foreign.MemorySegment;

/**
 * Writes frames straight into the ring the receiver created: {@link #claim} is Agrona's {@code tryClaim},
 * handing out the record's bytes in the mapping, and {@link #commit()} publishes it. The default
 * {@code send} (claim, copy, commit) is this transport's one copy per frame. When the ring is full the
 * sender waits by its {@code idle} mode until the receiver releases a frame.
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
    private int claimBytes;
    /** Payload index of the claimed record, -1 when none is claimed. */
    private int claimedIndex = -1;
    private boolean closed;

    private ShmAgronaSender(RingFile file, IdleMode idle) {
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
    }

    /** Attaches as the ring's one sender; a second sender is refused with one line and changes nothing. */
    static ShmAgronaSender attach(RingFile file, IdleMode idle) {
        long pid = ProcessHandle.current().pid();
        if (!file.control().attachSender(pid)) {
            long other = file.control().senderPid();
            file.close();
            throw new TransportException("shm-agrona ring " + file.path() + " already has a sender (pid " + other + "); a second one is refused");
        }
        // A receiver asleep in awaitSender wakes on the same doorbell as for frames.
        file.control().dataDoorbell().ring();
        return new ShmAgronaSender(file, idle);
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
        int index = ring.tryClaim(RingFileDescriptor.FRAME_MSG_TYPE_ID, claimBytes);
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
            control.markSenderClosed(ProcessHandle.current().pid());
            control.dataDoorbell().ring();
        } finally {
            file.close();
        }
    }
}
