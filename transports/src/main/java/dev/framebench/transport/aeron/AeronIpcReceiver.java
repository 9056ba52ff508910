package dev.framebench.transport.aeron;

import dev.framebench.transport.Backoff;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.error.TransportException;
import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.ImageControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Subscribes to the one framebench session on its private driver and hands out each message (one frame)
 * as a read-only view. A frame larger than one fragment (every real one) is reassembled by Aeron's
 * {@link ImageControlledFragmentAssembler} into a direct buffer sized for the largest frame up front: one
 * copy per frame, log to that buffer. The handler answers {@code BREAK} at the end of a frame, so polling
 * stops there and the buffer (or, for a one-fragment frame, the log) holds the frame until the next
 * {@link #receive} polls again: {@link #release()} has nothing to give back.
 *
 * <p>Threading: one receiving thread; Aeron's client conductor and the driver run threads of their own.
 */
final class AeronIpcReceiver implements FrameReceiver {
    private static final long SENDER_CHECK_NANOS = Duration.ofMillis(100).toNanos();
    /** Two driver timer ticks: how long a dead sender's clean close may take to show as end of stream. */
    private static final long DEAD_SENDER_GRACE_NANOS = 2 * EmbeddedMediaDriver.TIMER_INTERVAL_NANOS;

    private final EmbeddedMediaDriver driver;
    private final Aeron aeron;
    private final Subscription subscription;
    private final AeronIpcEndpoint endpoint;
    private final int termLength;
    private final ImageControlledFragmentAssembler assembler;
    private final Backoff backoff = new Backoff();
    // Built once: the receive loop idles per spin and must not allocate.
    private final String awaitingSender;
    private final String awaitingFrame;
    private Image image;
    /** Pid of the publishing process, 0 until known (or when the sender did not say). */
    private long senderPid;
    /** When the sender was first seen dead while no end of stream had arrived, 0 while it lives. */
    private long senderDeadSinceNanos;
    private MemorySegment frame;
    private boolean ended;
    private boolean closed;

    private AeronIpcReceiver(EmbeddedMediaDriver driver, Aeron aeron, Subscription subscription, int termLength, int maxFrameBytes) {
        this.driver = driver;
        this.awaitingSender = "waiting for an aeron-ipc sender on " + driver.aeronDirectory();
        this.awaitingFrame = "waiting for a frame on aeron-ipc " + driver.aeronDirectory();
        this.aeron = aeron;
        this.subscription = subscription;
        this.termLength = termLength;
        this.endpoint = AeronIpcEndpoint.of(driver.aeronDirectory(), termLength);
        this.assembler = new ImageControlledFragmentAssembler(this::onFrame, maxFrameBytes, true);
    }

    /** Starts a private driver in {@code shmDir}, connects to it and subscribes; cleans everything up on failure. */
    static AeronIpcReceiver open(Path shmDir, int termLength, int maxFrameBytes) {
        EmbeddedMediaDriver driver = EmbeddedMediaDriver.launch(shmDir);
        Aeron aeron = null;
        try {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectory()));
            Subscription subscription = aeron.addSubscription(AeronIpcEndpoint.subscriptionChannel(), AeronIpcEndpoint.STREAM_ID);
            return new AeronIpcReceiver(driver, aeron, subscription, termLength, maxFrameBytes);
        } catch (RuntimeException e) {
            if (aeron != null) {
                aeron.close();
            }
            driver.close();
            throw e;
        }
    }

    @Override
    public String endpoint() {
        return endpoint.toString();
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        requireOpen();
        if (image != null) {
            return;
        }
        backoff.reset();
        while ((image = subscription.imageBySessionId(AeronIpcEndpoint.SESSION_ID)) == null) {
            backoff.idle(deadlineNanos, awaitingSender);
        }
        senderPid = SenderPid.of(aeron.countersReader(), image);
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        awaitSender(deadlineNanos);
        frame = null;
        if (ended) {
            return null;
        }
        backoff.reset();
        long nextSenderCheck = System.nanoTime() + SENDER_CHECK_NANOS;
        while (true) {
            int fragments = image.controlledPoll(assembler, Integer.MAX_VALUE);
            if (frame != null) {
                return frame;
            }
            if (fragments > 0) {
                backoff.reset();
                continue;
            }
            if (image.isEndOfStream()) {
                ended = true;
                return null;
            }
            if (image.isClosed()) {
                throw new TransportException("aeron-ipc image of sender pid " + senderPid + " on " + driver.aeronDirectory()
                        + " closed without end of stream");
            }
            backoff.idle(deadlineNanos, awaitingFrame);
            long now = System.nanoTime();
            if (now - nextSenderCheck >= 0) {
                checkSender(now);
                nextSenderCheck = now + SENDER_CHECK_NANOS;
            }
        }
    }

    private ControlledFragmentHandler.Action onFrame(DirectBuffer buffer, int offset, int length, Header header) {
        // Either the assembler's direct buffer or the mapped log: both have an absolute address.
        frame = MemorySegment.ofAddress(buffer.addressOffset() + offset).reinterpret(length).asReadOnly();
        return ControlledFragmentHandler.Action.BREAK;
    }

    /**
     * Fails once the sender has been dead for {@link #DEAD_SENDER_GRACE_NANOS} without an end of stream: a
     * sender that closed and exited at once may have left its close for the driver to act on.
     */
    private void checkSender(long nowNanos) {
        if (senderPid == 0 || ProcessHandle.of(senderPid).map(ProcessHandle::isAlive).orElse(false)) {
            senderDeadSinceNanos = 0;
        } else if (senderDeadSinceNanos == 0) {
            senderDeadSinceNanos = nowNanos;
        } else if (nowNanos - senderDeadSinceNanos >= DEAD_SENDER_GRACE_NANOS) {
            throw new TransportException("aeron-ipc sender pid " + senderPid + " died without closing the stream (aeron dir "
                    + driver.aeronDirectory() + ")");
        }
    }

    @Override
    public void release() {
        // The frame stays where it is until the next poll; nothing to hand back.
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("aeron-ipc receiver on " + driver.aeronDirectory() + " is closed");
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>(driver.describe());
        d.put(TermLength.KEY, Integer.toString(termLength));
        d.put("mtuBytes", Integer.toString(AeronIpcEndpoint.mtuBytes(termLength)));
        return d;
    }

    /** Closes the subscription, the client and the driver (their threads end), and deletes the private folder. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            aeron.close();
        } finally {
            driver.close();
        }
    }
}
