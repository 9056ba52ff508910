package dev.framebench.transport.aeron;

import dev.framebench.frame.SenderHello;
import dev.framebench.transport.Backoff;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.error.TransportException;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;
import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.ImageControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Subscribes to the one framebench session on its private driver and hands out each message (one frame)
 * as a read-only view. A frame larger than one fragment (every real one) is reassembled by Aeron's
 * {@link ImageControlledFragmentAssembler} into a direct buffer sized for the largest frame up front: one
 * copy per frame, log to that buffer. The handler answers {@code BREAK} at the end of a frame, so polling
 * stops there and the buffer (or, for a one-fragment frame, the log) holds the frame until the next
 * {@link #receive} polls again: {@link #release()} has nothing to give back.
 *
 * <p>Its sender: without a token the one publication of session {@link AeronIpcEndpoint#SESSION_ID}, whose
 * first message is skipped if it is a hello; with one, the first image (any session) whose first message
 * is exactly the run's 24-byte hello, which is consumed. Every other image is refused and counted: its
 * first fragment is not the hello, it closes first, or it says nothing by the hello deadline. A refused
 * image is never polled again, so its publisher is held back by the driver once it is a term ahead and
 * its bytes never reach the stream; Aeron gives a subscriber no way to cut a publication off.
 *
 * <p>Threading: one receiving thread; Aeron's client conductor and the driver run threads of their own
 * (the conductor makes the driver's new files private as images appear).
 */
final class AeronIpcReceiver implements FrameReceiver {
    private static final long SENDER_CHECK_NANOS = Duration.ofMillis(100).toNanos();
    /** Two driver timer ticks: how long a dead sender's clean close may take to show as end of stream. */
    private static final long DEAD_SENDER_GRACE_NANOS = 2 * EmbeddedMediaDriver.TIMER_INTERVAL_NANOS;

    private static final int HELLO_PENDING = 0;
    private static final int HELLO_PASSED = 1;
    private static final int HELLO_REFUSED = 2;

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
    /** Null without a token. */
    private final RunToken token;
    private final RefusedSenders refused = new RefusedSenders(AeronIpcTransport.NAME);
    /** With a token: sessions seen and decided (refused, or the sender's), and the hello deadline of each undecided one. */
    private final Set<Integer> decidedSessions = new HashSet<>();
    private final Map<Integer, Long> helloDeadlines = new HashMap<>();
    private final ControlledFragmentHandler helloCheck = this::onHello;
    private int helloResult;
    private String helloRefusal;
    /** Without a token: true until the first message, which is skipped if it is a hello. */
    private boolean mayStartWithHello;

    private AeronIpcReceiver(EmbeddedMediaDriver driver, Aeron aeron, Subscription subscription, int termLength, int maxFrameBytes,
                             RunToken token) {
        this.driver = driver;
        this.awaitingSender = "waiting for an aeron-ipc sender on " + driver.aeronDirectory();
        this.awaitingFrame = "waiting for a frame on aeron-ipc " + driver.aeronDirectory();
        this.aeron = aeron;
        this.subscription = subscription;
        this.termLength = termLength;
        this.endpoint = AeronIpcEndpoint.of(driver.aeronDirectory(), termLength, token == null);
        this.assembler = new ImageControlledFragmentAssembler(this::onFrame, maxFrameBytes, true);
        this.token = token;
        this.mayStartWithHello = token == null;
    }

    /**
     * Starts a private driver in {@code shmDir}, connects to it and subscribes (with a {@code token}, null
     * for none, to every session); cleans everything up on failure.
     */
    static AeronIpcReceiver open(Path shmDir, int termLength, int maxFrameBytes, RunToken token) {
        EmbeddedMediaDriver driver = EmbeddedMediaDriver.launch(shmDir);
        Aeron aeron = null;
        try {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectory()));
            // Each publication's log appears with its image: made private then (conductor thread).
            Subscription subscription = aeron.addSubscription(AeronIpcEndpoint.subscriptionChannel(token == null), AeronIpcEndpoint.STREAM_ID,
                    image -> driver.restrictFiles(), image -> { });
            return new AeronIpcReceiver(driver, aeron, subscription, termLength, maxFrameBytes, token);
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
        if (token == null) {
            while ((image = subscription.imageBySessionId(AeronIpcEndpoint.SESSION_ID)) == null) {
                backoff.idle(deadlineNanos, awaitingSender);
            }
        } else {
            while ((image = helloImage(deadlineNanos)) == null) {
                backoff.idle(deadlineNanos, awaitingSender + " with the run's hello"
                        + (refused.count() == 0 ? "" : "; refused " + refused.count() + " publication(s), see the lines above"));
            }
        }
        senderPid = SenderPid.of(aeron.countersReader(), image);
        // The image handler does this too, on Aeron's conductor thread: here it is done before frames flow.
        driver.restrictFiles();
    }

    /** With a token: one look at every undecided image; the first whose first message is the run's hello, or null. */
    private Image helloImage(long deadlineNanos) {
        for (Image candidate : subscription.images()) {
            int session = candidate.sessionId();
            if (decidedSessions.contains(session)) {
                continue;
            }
            long helloDeadline = helloDeadlines.computeIfAbsent(session, s -> RunToken.helloDeadline(deadlineNanos));
            helloResult = HELLO_PENDING;
            candidate.controlledPoll(helloCheck, 1);
            if (helloResult == HELLO_PASSED) {
                decidedSessions.add(session);
                helloDeadlines.remove(session);
                return candidate;
            }
            String refusal = helloResult == HELLO_REFUSED ? helloRefusal
                    : candidate.isClosed() ? "its publication closed before a hello"
                    : Deadline.expired(helloDeadline) ? "no hello within " + RunToken.HELLO_TIMEOUT.toMillis() + " ms or the receiver's deadline"
                    : null;
            if (refusal != null) {
                refuse(candidate, refusal + "; " + RefusedSenders.WAITING_FOR_THE_SENDER);
            }
        }
        return null;
    }

    /** The first fragment of a candidate image: consumed if it is the whole hello of the run's token, else left. */
    private ControlledFragmentHandler.Action onHello(DirectBuffer buffer, int offset, int length, Header header) {
        MemorySegment presented = MemorySegment.ofAddress(buffer.addressOffset() + offset).reinterpret(Math.min(length, SenderHello.LENGTH));
        boolean whole = (header.flags() & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED;
        int result = whole && length == SenderHello.LENGTH ? token.check(presented) : SenderHello.NOT_A_HELLO;
        if (result == SenderHello.HELLO_OK) {
            helloResult = HELLO_PASSED;
            return ControlledFragmentHandler.Action.COMMIT;
        }
        helloResult = HELLO_REFUSED;
        helloRefusal = SenderHello.refusal(presented, result) + (whole && length == SenderHello.LENGTH ? "" : " (a first fragment of " + length + " bytes)");
        return ControlledFragmentHandler.Action.ABORT;
    }

    private void refuse(Image image, String reason) {
        decidedSessions.add(image.sessionId());
        helloDeadlines.remove(image.sessionId());
        long pid = SenderPid.of(aeron.countersReader(), image);
        refused.refused("publication on aeron-ipc " + driver.aeronDirectory() + " (session " + image.sessionId() + ") by "
                + (pid == 0 ? "a process that did not say its pid" : "pid " + pid), reason);
    }

    /** With a token, once the sender is chosen: any image that appeared since is one more refused publication. */
    private void refuseLateImages() {
        for (Image other : subscription.images()) {
            if (!decidedSessions.contains(other.sessionId())) {
                refuse(other, RefusedSenders.SERVING_ONE_SENDER);
            }
        }
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
        if (mayStartWithHello) {
            mayStartWithHello = false;
            if (length == SenderHello.LENGTH && SenderHello.isHelloMagic(buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN))) {
                // A sender given a token presents its hello to a receiver given none too: skipped.
                return ControlledFragmentHandler.Action.CONTINUE;
            }
        }
        // Either the assembler's direct buffer or the mapped log: both have an absolute address.
        frame = MemorySegment.ofAddress(buffer.addressOffset() + offset).reinterpret(length).asReadOnly();
        return ControlledFragmentHandler.Action.BREAK;
    }

    /**
     * Fails once the sender has been dead for {@link #DEAD_SENDER_GRACE_NANOS} without an end of stream: a
     * sender that closed and exited at once may have left its close for the driver to act on.
     */
    private void checkSender(long nowNanos) {
        if (token != null) {
            refuseLateImages();
        }
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
    public int foreignConnectionsRefused() {
        return refused.count();
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
