package dev.framebench.harness.session;

import dev.framebench.transport.RunToken;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.peer.SenderStats;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The receiving side of one saturation trial: opens the transport's receiver in this JVM, starts its
 * {@link SenderSide} (a second JVM, or a thread for single-process transports), and hands out frames to
 * the benchmark thread until closed. It counts what it received; the sender side says where that side's
 * CPU and memory are charged.
 *
 * <p>Threading: one receiving thread; {@link #sample()} from another once it has joined that thread's
 * work (JMH's iteration boundary).
 */
public final class FrameSession implements AutoCloseable {
    private final Transport transport;
    private final FramePreset preset;
    private final FrameReceiver receiver;
    private final SenderSide senders;
    private final long timeoutNanos;
    private final WindowSampler sampler;
    private final SenderKind senderKind;
    private final ReceiverKind receiverKind;
    private long framesReceived;
    private long bytesReceived;
    private boolean ended;
    /** A receive failed: the stream cannot be trusted, so close() neither asks for STOP nor drains. */
    private boolean failed;
    private SenderStats senderStats;
    private volatile Runnable beforeClose;

    private FrameSession(Transport transport, FramePreset preset, FrameReceiver receiver, SenderSide senders, SenderKind senderKind,
                         ReceiverKind receiverKind, Duration timeout) {
        this.senderKind = senderKind;
        this.receiverKind = receiverKind;
        this.transport = transport;
        this.preset = preset;
        this.receiver = receiver;
        this.senders = senders;
        this.timeoutNanos = timeout.toNanos();
        this.sampler = new WindowSampler(() -> WindowSample.take(framesReceived, bytesReceived, 0, 0, senders, List.of(receiver)));
    }

    /**
     * Opens the receiver, starts the sender and returns once frames are flowing. The trial's token (a new
     * {@link RunToken}) goes to both sides, so only this trial's sender can feed the receiver.
     */
    public static FrameSession open(Transport transport, FramePreset preset, TransportOptions options, Duration timeout) {
        return open(transport, preset, options, ConsumeMode.NONE, SenderKind.JVM, ReceiverKind.JVM, timeout);
    }

    /**
     * As above, with the sender and the receiver of the kinds given (the seed's Chromium sender, its Python
     * receiver). A receiver in another process consumes each frame there, as {@code consume} says; a receiver
     * in this JVM leaves consuming to the benchmark.
     */
    public static FrameSession open(Transport transport, FramePreset preset, TransportOptions options, ConsumeMode consume,
                                    SenderKind senderKind, ReceiverKind receiverKind, Duration timeout) {
        senderKind.requireDrives(transport);
        receiverKind.requireReceives(transport);
        RunToken token = RunToken.random();
        TransportOptions withToken = options.with(RunToken.KEY, token.hex());
        FrameReceiver receiver = receiverKind == ReceiverKind.PYTHON ? PythonReceiver.open(transport, preset, consume, withToken, timeout)
                : transport.openReceiver(withToken, preset.frameBytes());
        SenderSide senders = null;
        try {
            long deadline = Deadline.after(timeout.plusSeconds(30));
            List<String> endpoints = List.of(receiver.endpoint());
            if (transport.singleProcess()) {
                senders = ThreadSenders.open(transport, endpoints, preset, withToken, null, timeout);
                receiver.awaitSender(deadline);
            } else if (senderKind == SenderKind.CHROMIUM) {
                ChromiumSenders browser = ChromiumSenders.launch(transport, endpoints, preset, options, token, null, timeout);
                senders = browser;
                browser.awaitReady(() -> receiver.awaitSender(deadline), deadline);
            } else {
                PeerSenders peers = PeerSenders.launch(transport, endpoints, preset, options, token, null, false, timeout);
                senders = peers;
                peers.awaitReady(() -> receiver.awaitSender(deadline), deadline);
            }
            senders.start();
            return new FrameSession(transport, preset, receiver, senders, senderKind, receiverKind, timeout);
        } catch (RuntimeException e) {
            if (senders != null) {
                senders.close(0);
            }
            receiver.close();
            throw e;
        }
    }

    /** The next frame, read-only until {@link #release()}; fails, naming the sender's fate, if the stream ends. */
    public MemorySegment receive() {
        MemorySegment frame;
        try {
            frame = receiver.receive(System.nanoTime() + timeoutNanos);
        } catch (TransportTimeoutException e) {
            failed = true;
            String fate = senders.fate(500);
            if (fate.isEmpty()) {
                fate = senders.who() + " is alive but sent nothing for " + timeoutNanos / 1_000_000_000 + " s (stopped or stalled?): ";
            }
            throw new TransportTimeoutException(transport.name() + ": " + fate + e.getMessage());
        } catch (TransportException e) {
            failed = true;
            throw new TransportException(transport.name() + ": " + senders.fate(500) + e.getMessage(), e);
        }
        if (frame == null) {
            ended = true;
            throw new TransportException(transport.name() + ": the sender ended the stream before the receiver asked it to stop; "
                    + senders.fate(500).replaceAll(": $", ""));
        }
        framesReceived++;
        bytesReceived += frame.byteSize();
        return frame;
    }

    public void release() {
        receiver.release();
    }

    public Transport transport() {
        return transport;
    }

    public FramePreset preset() {
        return preset;
    }

    public long framesReceived() {
        return framesReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** True when this JVM is the receiver; false for a receiver in processes of its own (the Python receiver). */
    public boolean receiverInJvm() {
        return receiverKind == ReceiverKind.JVM;
    }

    /** "" for two JVM ends, else "_chromium->python": what tells this trial's files from another pair's over the same transport. */
    public String endsLabel() {
        return senderKind == SenderKind.JVM && receiverKind == ReceiverKind.JVM ? "" : "_" + senderKind + "->" + receiverKind;
    }

    /** True when the sender is a thread of this JVM (inproc-*): there is no sender JVM to profile. */
    public boolean singleProcess() {
        return senders.inReceiverJvm();
    }

    /** The counters now, or as they stood when {@link #close()} began (see {@link WindowSampler}). */
    public WindowSample sample() {
        return sampler.sample();
    }

    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>(receiver.describe());
        d.put("sender", senders.describe());
        return d;
    }

    /**
     * Runs {@code hook} once when {@link #close()} begins: after the window's closing sample, while the
     * sender still runs (JMH tears the trial down before profilers see the last iteration end).
     */
    public void beforeClose(Runnable hook) {
        beforeClose = hook;
    }

    /** Sends the sender JVM one {@code PROFILE} command and returns its {@code PROFILED} reply. */
    public String profileSender(String command) {
        return senders.profile(command, System.nanoTime() + timeoutNanos);
    }

    /** What the sender reported at the last clean stop; null before. */
    public SenderStats senderStats() {
        return senderStats;
    }

    /**
     * Asks the sender to stop, receives what it had in flight up to the clean end of stream, and returns
     * how many frames that was. Each remaining frame is handed to {@code drainConsumer} before release.
     */
    public long stopAndDrain(Consumer<MemorySegment> drainConsumer) {
        senders.stop();
        long drained = 0;
        long deadline = System.nanoTime() + timeoutNanos;
        while (!ended) {
            MemorySegment frame = receiver.receive(deadline);
            if (frame == null) {
                ended = true;
            } else {
                drainConsumer.accept(frame);
                receiver.release();
                drained++;
            }
        }
        senderStats = senders.awaitStats(deadline);
        return drained;
    }

    /** Stops cleanly if the stream is still healthy, and always releases every resource. */
    @Override
    public void close() {
        sampler.freeze();
        Runnable hook = beforeClose;
        beforeClose = null;
        if (hook != null) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.err.println("framebench: " + transport.name() + ": before closing: " + e.getMessage());
            }
        }
        try {
            if (!ended && !failed && senders.alive()) {
                stopAndDrain(frame -> { });
            }
        } catch (RuntimeException e) {
            System.err.println("framebench: " + transport.name() + ": stopping the sender failed: " + e.getMessage());
        } finally {
            senders.close(ended && !failed ? 5_000 : 0);
            receiver.close();
        }
    }
}
