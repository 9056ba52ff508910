package dev.framebench.transport.inproc;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.Backoff;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code null}: framebench's own cost per frame, with nothing of a transport left to measure. Sender and
 * receiver are threads of one JVM; a frame reference changes hands through a one-slot mailbox (one plain
 * field, released and acquired), with no queue, no lock and no copy. What a frame then costs is the send
 * loop's stamp, this hand-off and the receiving side's accounting (and, with {@code consume=read}, the read):
 * the floor under every other transport's cost per frame, published beside the table.
 *
 * <p>The mailbox holds one frame and the receiver one more, so the sender's pool (8 pictures) is never
 * stamped while a frame of it is still being read.
 */
public final class NullTransport implements Transport {
    static final String SCHEME = "null:";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final ConcurrentHashMap<String, Mailbox> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    /** Marks a clean end of stream in the mailbox. */
    private static final MemorySegment END_OF_STREAM = Arena.global().allocate(1);

    @Override
    public String name() {
        return "null";
    }

    @Override
    public String description() {
        return "floor: threads of one JVM, a frame reference through a one-slot mailbox (0 copies): framebench's own cost per frame";
    }

    @Override
    public boolean singleProcess() {
        return true;
    }

    @Override
    public int copiesPerFrame() {
        return 0;
    }

    @Override
    public Map<String, String> options() {
        return Map.of();
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        String endpoint = SCHEME + ProcessHandle.current().pid() + "/" + NEXT_ID.incrementAndGet();
        Mailbox mailbox = new Mailbox(endpoint);
        OPEN.put(endpoint, mailbox);
        return new Receiver(mailbox);
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        Mailbox mailbox = OPEN.get(endpoint);
        if (mailbox == null) {
            throw new BadInputException("no null receiver at '" + endpoint
                    + "' in this JVM; the null transport runs sender and receiver as threads of one process");
        }
        if (!mailbox.senderAttached.compareAndSet(false, true)) {
            throw new TransportException("null receiver " + endpoint + " already has a sender; a second one is refused");
        }
        return new Sender(mailbox);
    }

    /** One frame reference in flight; written by the sender thread only while empty, emptied by the receiver only. */
    private static final class Mailbox {
        private static final VarHandle SLOT;

        static {
            try {
                SLOT = MethodHandles.lookup().findVarHandle(Mailbox.class, "slot", MemorySegment.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final String endpoint;
        final AtomicBoolean senderAttached = new AtomicBoolean();
        // Never parked-until-signalled, as in the inproc channel: a wake-up per frame would be what is measured.
        final Backoff senderBackoff = new Backoff();
        final Backoff receiverBackoff = new Backoff();
        final String awaitingTake;
        final String awaitingFrame;
        @SuppressWarnings("unused") // through SLOT
        private MemorySegment slot;
        volatile boolean closed;

        Mailbox(String endpoint) {
            this.endpoint = endpoint;
            this.awaitingTake = "waiting for the null receiver to take a frame on " + endpoint;
            this.awaitingFrame = "waiting for the null sender's next frame on " + endpoint;
        }

        void put(MemorySegment frame, long deadlineNanos) {
            senderBackoff.reset();
            while (SLOT.getAcquire(this) != null) {
                checkOpen();
                senderBackoff.idle(deadlineNanos, awaitingTake);
            }
            SLOT.setRelease(this, frame);
        }

        MemorySegment take(long deadlineNanos) {
            MemorySegment frame;
            receiverBackoff.reset();
            while ((frame = (MemorySegment) SLOT.getAcquire(this)) == null) {
                checkOpen();
                receiverBackoff.idle(deadlineNanos, awaitingFrame);
            }
            SLOT.setRelease(this, null);
            return frame;
        }

        private void checkOpen() {
            if (closed) {
                throw new TransportException("null transport " + endpoint + " is closed");
            }
        }
    }

    private static final class Sender implements FrameSender {
        private final Mailbox mailbox;
        /** One in the mailbox, one held by the receiver, one being written: a claim never writes a frame still read. */
        private final MemorySegment[] buffers = new MemorySegment[3];
        private int next;
        private MemorySegment staging;
        private long claimDeadlineNanos;

        Sender(Mailbox mailbox) {
            this.mailbox = mailbox;
        }

        /** For a caller without a pool of its own (the conformance suite); the send loops use {@link #send}. */
        @Override
        public MemorySegment claim(int frameBytes, long deadlineNanos) {
            int i = next;
            next = (i + 1) % buffers.length;
            if (buffers[i] == null || buffers[i].byteSize() != frameBytes) {
                // An automatic arena: the receiver may still read a replaced buffer, so the GC frees it, not a close.
                buffers[i] = Arena.ofAuto().allocate(frameBytes, 64);
            }
            staging = buffers[i];
            claimDeadlineNanos = deadlineNanos;
            return staging;
        }

        @Override
        public void commit() {
            mailbox.put(staging, claimDeadlineNanos);
            staging = null;
        }

        @Override
        public void send(MemorySegment frame, long deadlineNanos) {
            mailbox.put(frame, deadlineNanos);
        }

        @Override
        public void close() {
            if (!mailbox.closed) {
                mailbox.put(END_OF_STREAM, Deadline.after(CLOSE_TIMEOUT));
            }
        }
    }

    private static final class Receiver implements FrameReceiver {
        private final Mailbox mailbox;

        Receiver(Mailbox mailbox) {
            this.mailbox = mailbox;
        }

        @Override
        public String endpoint() {
            return mailbox.endpoint;
        }

        @Override
        public void awaitSender(long deadlineNanos) {
            while (!mailbox.senderAttached.get()) {
                Deadline.check(deadlineNanos, "waiting for a null sender on " + mailbox.endpoint);
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        @Override
        public MemorySegment receive(long deadlineNanos) {
            MemorySegment frame = mailbox.take(deadlineNanos);
            return frame == END_OF_STREAM ? null : frame.asReadOnly();
        }

        @Override
        public void release() {
        }

        @Override
        public void close() {
            mailbox.closed = true;
            OPEN.remove(mailbox.endpoint);
        }
    }
}
