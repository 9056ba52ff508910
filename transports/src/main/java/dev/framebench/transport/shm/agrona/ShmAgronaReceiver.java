package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.FrameReceiver;
import dev.framebench.error.TransportException;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.RingWaiter;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads frames in place from the ring file it created: {@link #receive} hands out a read-only view of the
 * record in the mapping and consumes nothing; {@link #release()} consumes exactly that record, which is
 * when the sender may reuse its bytes. No copy on this side.
 *
 * <p>Agrona has no peek: {@code controlledRead} with a handler that notes the record and answers
 * {@code ABORT} leaves the head where it was, and the second {@code controlledRead} in {@code release()}
 * answers {@code BREAK} for that same record, which moves the head past it (and past nothing else).
 *
 * <p>Threading: one receiving thread.
 */
final class ShmAgronaReceiver implements FrameReceiver {
    private final RingFile file;
    private final org.agrona.concurrent.ringbuffer.RingBuffer ring;
    private final RingControl control;
    private final RingWaiter waiter;
    private final String endpoint;
    private final ControlledMessageHandler peekHandler = this::onPeek;
    private final ControlledMessageHandler consumeHandler = this::onConsume;
    // Built once, not per frame: receive is what the benchmark measures and must not allocate.
    private final String awaitingFrame;
    private final RingWaiter.Condition frameReady;
    private final RingWaiter.Condition senderAttached;
    private final RingWaiter.PeerCheck senderCheck;
    private final RingWaiter.PeerCheck noPeerYet;
    /** Payload index of the record handed out, -1 when none is held. */
    private int heldIndex = -1;
    private int heldLength;
    private boolean ended;
    private boolean closed;

    ShmAgronaReceiver(RingFile file, IdleMode idle) {
        this.file = file;
        this.ring = file.ring();
        this.control = file.control();
        this.waiter = new RingWaiter(idle, control.dataDoorbell());
        this.endpoint = file.path().toString();
        this.awaitingFrame = "waiting for a frame in shm-agrona ring " + endpoint;
        this.frameReady = this::frameOrEnd;
        this.senderAttached = () -> control.senderPid() != 0;
        this.senderCheck = this::deadSender;
        this.noPeerYet = () -> null;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        requireOpen();
        waiter.await(senderAttached, deadlineNanos, "waiting for a sender to attach to shm-agrona ring " + endpoint, noPeerYet);
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        requireOpen();
        release();
        waiter.await(frameReady, deadlineNanos, awaitingFrame, senderCheck);
        if (heldIndex < 0) {
            return null;
        }
        return file.records().asSlice(heldIndex, heldLength).asReadOnly();
    }

    @Override
    public void release() {
        if (heldIndex < 0) {
            return;
        }
        ring.controlledRead(consumeHandler, 1);
        heldIndex = -1;
        control.spaceDoorbell().ring();
    }

    /** True once a frame is held or the stream has ended cleanly; idempotent, as the waiter requires. */
    private boolean frameOrEnd() {
        if (heldIndex >= 0 || ended) {
            return true;
        }
        if (peek()) {
            return true;
        }
        // The sender marks closed after its last commit (release/acquire): look once more before ending.
        if (control.senderClosed()) {
            ended = !peek();
            return true;
        }
        return false;
    }

    private boolean peek() {
        long head;
        do {
            head = ring.consumerPosition();
            ring.controlledRead(peekHandler, 1);
            if (heldIndex >= 0) {
                return true;
            }
            // A moved head means a padding record at the end of the ring was skipped: the frame is at 0.
        } while (ring.consumerPosition() != head);
        return false;
    }

    private ControlledMessageHandler.Action onPeek(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (msgTypeId != RingFileDescriptor.FRAME_MSG_TYPE_ID) {
            throw new TransportException("unexpected record type " + msgTypeId + " in shm-agrona ring " + endpoint + " (frames are type "
                    + RingFileDescriptor.FRAME_MSG_TYPE_ID + ")");
        }
        heldIndex = index;
        heldLength = length;
        return ControlledMessageHandler.Action.ABORT;
    }

    private ControlledMessageHandler.Action onConsume(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (index != heldIndex) {
            throw new IllegalStateException("shm-agrona ring " + endpoint + " moved under the receiver: held index " + heldIndex + ", head at " + index);
        }
        return ControlledMessageHandler.Action.BREAK;
    }

    /** A sender gone without closing, named, or null while every attached sender lives (or has closed). */
    private String deadSender() {
        if (control.manyProducers()) {
            for (int slot = 0; slot < RingFileDescriptor.SENDER_TABLE_SLOTS; slot++) {
                long sender = control.openSender(slot);
                if (sender != 0 && !RingWaiter.isAlive(sender)) {
                    return "shm-agrona-mpsc sender pid " + sender + " died without closing its stream (ring " + endpoint + ")";
                }
            }
            return null;
        }
        long pid = control.senderPid();
        if (pid != 0 && !RingWaiter.isAlive(pid) && !control.senderClosed()) {
            return "shm-agrona sender pid " + pid + " died without closing the stream (ring " + endpoint + ")";
        }
        return null;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("shm-agrona receiver " + endpoint + " is closed");
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("idle", waiter.mode().modeName());
        d.put(RingCapacity.KEY, Integer.toString(file.capacity()));
        d.put("maxRecordBytes", Integer.toString(ring.maxMsgLength()));
        return d;
    }

    /** Unmaps and deletes the ring file; a sender still attached finds its receiver gone. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            file.close();
        }
    }
}
