package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.error.TransportException;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.RingHello;
import dev.framebench.transport.shm.RingWaiter;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
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
 * <p>With a token it takes only senders that present the run's hello in their slot ({@link RingHello}); other
 * claims are evicted and counted. One producer: whatever a stranger wrote before it is discarded when the
 * sender is accepted. Many producers: the slots are watched while frames flow (at every idle poll and every
 * {@value #SCAN_EVERY_FRAMES}th frame), each accepted sender's records carry its slot's message type, and a
 * record of any other type (a claimer never accepted) is dropped unread; the stream ends once every accepted
 * sender has closed.
 *
 * <p>Threading: one receiving thread.
 */
final class ShmAgronaReceiver implements FrameReceiver {
    /** With a token on a many-producer ring, frames between looks at the sender slots while the ring is busy. */
    static final int SCAN_EVERY_FRAMES = 64;

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
    private final RefusedSenders refused;
    /** Null without a token; else one watch per sender slot (one for a one-producer ring). */
    private final RingHello.Watch[] watches;
    /** With a token: senders accepted, bit s for slot s, and each one's pid. */
    private long acceptedMask;
    private final long[] acceptedPids = new long[RingFileDescriptor.SENDER_TABLE_SLOTS];
    /** True with a token on a many-producer ring: frame records carry their sender's slot. */
    private final boolean tagged;
    private int framesSinceScan;
    private long scanDeadlineNanos = Deadline.after(Duration.ofDays(1));
    private boolean strayNoted;

    ShmAgronaReceiver(RingFile file, IdleMode idle, RunToken token) {
        this.file = file;
        this.ring = file.ring();
        this.control = file.control();
        this.waiter = new RingWaiter(idle, control.dataDoorbell());
        this.endpoint = file.path().toString();
        this.awaitingFrame = "waiting for a frame in shm-agrona ring " + endpoint;
        this.frameReady = this::frameOrEnd;
        this.senderCheck = this::deadSender;
        this.noPeerYet = () -> null;
        this.refused = new RefusedSenders(control.manyProducers() ? ShmAgronaMpscTransport.NAME : ShmAgronaTransport.NAME);
        this.tagged = token != null && control.manyProducers();
        if (token == null) {
            this.watches = null;
            this.senderAttached = this::firstSenderAttached;
        } else {
            this.watches = new RingHello.Watch[control.manyProducers() ? RingFileDescriptor.SENDER_TABLE_SLOTS : 1];
            for (int slot = 0; slot < watches.length; slot++) {
                watches[slot] = new RingHello.Watch(control.slot(slot), token, refused, endpoint);
            }
            this.senderAttached = () -> {
                scanSlots();
                return acceptedMask != 0;
            };
        }
    }

    /** Without a token: the first sender to attach is taken; its slot says so, for a sender that looks. */
    private boolean firstSenderAttached() {
        long pid = control.senderPid();
        if (pid == 0) {
            return false;
        }
        if (!control.manyProducers()) {
            control.slot(0).acceptedPidRelease(pid);
        }
        return true;
    }

    /**
     * With a token: one look at every sender slot, accepting each claim whose hello carries the run's token
     * and evicting failed ones ({@link RingHello.Watch#poll}).
     */
    private void scanSlots() {
        framesSinceScan = 0;
        for (int slot = 0; slot < watches.length; slot++) {
            if ((acceptedMask & (1L << slot)) != 0 && control.slot(slot).claimedPidAcquire() == acceptedPids[slot]) {
                continue;
            }
            long pid = watches[slot].poll(scanDeadlineNanos);
            if (pid != 0) {
                if (!control.manyProducers()) {
                    // Whatever a stranger published before it was evicted goes; the acceptance publishes the reset.
                    file.discardAll();
                    control.senderClosedReset();
                }
                acceptedPids[slot] = pid;
                acceptedMask |= 1L << slot;
                watches[slot].accept(pid);
            }
        }
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        requireOpen();
        scanDeadlineNanos = deadlineNanos;
        waiter.await(senderAttached, deadlineNanos, "waiting for a sender to attach to shm-agrona ring " + endpoint
                + (watches == null ? "" : " with the run's hello"), noPeerYet);
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        requireOpen();
        release();
        scanDeadlineNanos = deadlineNanos;
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
        if (watches != null && (acceptedMask == 0 || tagged && ++framesSinceScan >= SCAN_EVERY_FRAMES)) {
            scanSlots();
        }
        if (peek()) {
            return true;
        }
        if (tagged) {
            // Idle: a new sender's hello may be waiting.
            scanSlots();
        }
        // The sender marks closed after its last commit (release/acquire): look once more before ending.
        if (senderClosed()) {
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
        if (tagged) {
            int slot = msgTypeId - RingFileDescriptor.TAGGED_FRAME_MSG_TYPE_ID;
            boolean accepted = slot >= 0 && slot < RingFileDescriptor.SENDER_TABLE_SLOTS && (acceptedMask & (1L << slot)) != 0;
            if (!accepted) {
                return dropStray(msgTypeId);
            }
        } else if (msgTypeId != RingFileDescriptor.FRAME_MSG_TYPE_ID) {
            throw new TransportException("unexpected record type " + msgTypeId + " in shm-agrona ring " + endpoint + " (frames are type "
                    + RingFileDescriptor.FRAME_MSG_TYPE_ID + ")");
        }
        heldIndex = index;
        heldLength = length;
        return ControlledMessageHandler.Action.ABORT;
    }

    /**
     * A record no accepted sender wrote (a stranger attached without the run's hello): consumed unread, so
     * it never reaches the stream; said once on stderr, the claimer itself is counted when it is evicted.
     */
    private ControlledMessageHandler.Action dropStray(int msgTypeId) {
        if (!strayNoted) {
            strayNoted = true;
            System.err.println("framebench receiver (" + ShmAgronaMpscTransport.NAME + "): dropped records of type " + msgTypeId + " in ring "
                    + endpoint + ": no accepted sender wrote them (a sender without the run's hello); the accepted streams go on");
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    private ControlledMessageHandler.Action onConsume(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (index != heldIndex) {
            throw new IllegalStateException("shm-agrona ring " + endpoint + " moved under the receiver: held index " + heldIndex + ", head at " + index);
        }
        return ControlledMessageHandler.Action.BREAK;
    }

    /** A sender gone without closing, named, or null while every attached sender lives (or has closed). */
    private String deadSender() {
        if (tagged) {
            for (int slot = 0; slot < RingFileDescriptor.SENDER_TABLE_SLOTS; slot++) {
                long pid = acceptedPids[slot];
                if ((acceptedMask & (1L << slot)) != 0 && control.slotValue(slot) == pid && !RingWaiter.isAlive(pid)) {
                    return "shm-agrona-mpsc sender pid " + pid + " died without closing its stream (ring " + endpoint + ")";
                }
            }
            return null;
        }
        if (control.manyProducers()) {
            for (int slot = 0; slot < RingFileDescriptor.SENDER_TABLE_SLOTS; slot++) {
                long sender = control.openSender(slot);
                if (sender != 0 && !RingWaiter.isAlive(sender)) {
                    return "shm-agrona-mpsc sender pid " + sender + " died without closing its stream (ring " + endpoint + ")";
                }
            }
            return null;
        }
        // With a token only the accepted sender counts: a stranger's claim that died is evicted, not fatal.
        long pid = watches == null ? control.senderPid() : acceptedPids[0];
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

    /**
     * The stream has ended cleanly: without a token as the control area counts it; with one on a
     * many-producer ring once every accepted sender's slot says it closed cleanly (-pid), since strangers
     * that attached and were evicted are counted in the control area too.
     */
    private boolean senderClosed() {
        if (!tagged) {
            return control.senderClosed();
        }
        if (acceptedMask == 0) {
            return false;
        }
        for (int slot = 0; slot < RingFileDescriptor.SENDER_TABLE_SLOTS; slot++) {
            if ((acceptedMask & (1L << slot)) != 0 && control.slotValue(slot) != -acceptedPids[slot]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int foreignConnectionsRefused() {
        return refused.count();
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
