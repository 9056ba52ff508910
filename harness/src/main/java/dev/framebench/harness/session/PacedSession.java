package dev.framebench.harness.session;

import dev.framebench.transport.RunToken;
import dev.framebench.harness.peer.Topology;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.peer.SenderStats;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.error.TransportTimeoutException;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The receiving side of one paced trial: N streams, each with its own transport receiver (connection or
 * ring) in this JVM and its own receiving thread ({@link StreamReceiver}), fed by senders that keep a
 * fixed schedule ({@link dev.framebench.harness.peer.PacedSendLoop}) in one sender JVM ({@link Topology#THREAD_PER_STREAM}) or one
 * JVM per stream ({@link Topology#PROCESS_PER_STREAM}). With {@link Receivers#FAN_IN} every sender writes
 * into one receiver's ring instead (many producers, one consumer) and one thread receives all streams.
 * {@code inproc-*} transports run their sender threads in this JVM (thread-per-stream only).
 *
 * <p>Threading: {@link #awaitArrival()} on the benchmark thread; {@link #sample()} and
 * {@link #intervalHistogram()} on the profiler's; {@link #close()} once, on the benchmark thread.
 */
public final class PacedSession implements AutoCloseable {
    private final Transport transport;
    private final int streams;
    private final PacedSchedule schedule;
    private final Topology topology;
    private final Receivers receiversMode;
    private final long timeoutNanos;
    /**
     * A receiving thread waits this much longer than {@link #awaitArrival()}: when every stream stops, the
     * session's own deadline fires first and names the stalled sender ("no frame on any of N streams ...; sender
     * JVM pid P is alive but sent nothing"), instead of a race with a stream's read timeout, which a loaded
     * machine could win either way. A stream that stalls alone still fails at its own deadline.
     */
    private static final long STREAM_DEADLINE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final List<FrameReceiver> receivers;
    private final List<StreamReceiver> streamReceivers = new ArrayList<>();
    private final List<Thread> receiverThreads = new ArrayList<>();
    private final Semaphore arrivals = new Semaphore(0);
    private final WindowSampler sampler = new WindowSampler(this::sampleNow);
    private SenderSide senders;
    private SenderStats senderStats;
    private volatile WindowSample openingSample;
    private volatile boolean closed;

    private PacedSession(Transport transport, int streams, PacedSchedule schedule, Topology topology, Receivers receiversMode,
                         Duration timeout, List<FrameReceiver> receivers) {
        this.receiversMode = receiversMode;
        this.transport = transport;
        this.streams = streams;
        this.schedule = schedule;
        this.topology = topology;
        // A frame is due only every interval: at rates below 1/timeout a plain timeout would fire between frames.
        this.timeoutNanos = timeout.toNanos() + schedule.intervalNanos();
        this.receivers = receivers;
    }

    /** Opens every stream's receiver, starts the senders and the receiving threads, and returns once the schedules have begun. */
    public static PacedSession open(Transport transport, FramePreset preset, TransportOptions options, ConsumeMode consume, int streams,
                                    PacedSchedule schedule, Topology topology, Duration timeout, ReceiverStall stall) {
        return open(transport, preset, options, consume, streams, schedule, topology, Receivers.PER_STREAM, timeout, stall);
    }

    /** As above, with the streams received {@code receiversMode}: a receiver each, or all fanned in to one. */
    public static PacedSession open(Transport transport, FramePreset preset, TransportOptions options, ConsumeMode consume, int streams,
                                    PacedSchedule schedule, Topology topology, Receivers receiversMode, Duration timeout, ReceiverStall stall) {
        return open(transport, preset, options, consume, streams, schedule, topology, receiversMode, SenderKind.JVM, ReceiverKind.JVM, timeout, stall);
    }

    /**
     * As above, with the ends of the kinds given: a Chromium page keeps every stream's schedule itself, in
     * one browser, so its topology is one process for all streams ({@link Topology#THREAD_PER_STREAM}); a
     * Python receiver per stream consumes each frame itself, and a frame's latency ends at its arrival there.
     */
    public static PacedSession open(Transport transport, FramePreset preset, TransportOptions options, ConsumeMode consume, int streams,
                                    PacedSchedule schedule, Topology topology, Receivers receiversMode, SenderKind senderKind,
                                    ReceiverKind receiverKind, Duration timeout, ReceiverStall stall) {
        receiversMode.requireSupportedBy(transport);
        senderKind.requireDrives(transport);
        receiverKind.requireReceives(transport);
        if (senderKind == SenderKind.CHROMIUM && topology == Topology.PROCESS_PER_STREAM) {
            throw new BadInputException("sender chromium sends every stream from one page of one browser, so topology=" + topology
                    + " does not apply; use topology=" + Topology.THREAD_PER_STREAM);
        }
        if (transport.singleProcess() && topology == Topology.PROCESS_PER_STREAM) {
            throw new BadInputException(transport.name() + " runs sender and receiver as threads of one JVM by design, so topology="
                    + topology + " does not apply; use topology=" + Topology.THREAD_PER_STREAM);
        }
        RunToken token = RunToken.random();
        List<FrameReceiver> receivers = new ArrayList<>();
        PacedSession session = new PacedSession(transport, streams, schedule, topology, receiversMode, timeout, receivers);
        try {
            for (int i = 0; i < (receiversMode == Receivers.FAN_IN ? 1 : streams); i++) {
                TransportOptions withToken = options.with(RunToken.KEY, token.hex());
                receivers.add(receiverKind == ReceiverKind.PYTHON ? PythonReceiver.open(transport, preset, consume, withToken, timeout)
                        : transport.openReceiver(withToken, preset.frameBytes()));
            }
            long deadline = Deadline.after(timeout.plusSeconds(30));
            List<String> endpoints = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                endpoints.add(receivers.get(receiversMode == Receivers.FAN_IN ? 0 : i).endpoint());
            }
            for (int i = 0; i < receivers.size(); i++) {
                // A receiver in another process consumes there; what reaches this JVM is its receipt.
                ConsumeMode here = receiverKind == ReceiverKind.JVM ? consume : ConsumeMode.NONE;
                StreamReceiver r = new StreamReceiver(receiversMode == Receivers.FAN_IN ? -1 : i, streams, receivers.get(i), here.newConsumer(),
                        schedule.intervalNanos(), session.timeoutNanos + STREAM_DEADLINE_MARGIN_NANOS, session.arrivals, stall);
                Thread thread = new Thread(r, "framebench-paced-receiver-" + i);
                thread.setDaemon(true);
                session.streamReceivers.add(r);
                session.receiverThreads.add(thread);
            }
            // Each receiver takes its first sender, then its receiving thread runs: a fan-in ring takes its
            // other senders' hellos while it polls for frames, and those senders finish connecting only then.
            Runnable accept = () -> {
                for (int i = 0; i < receivers.size(); i++) {
                    receivers.get(i).awaitSender(deadline);
                    session.receiverThreads.get(i).start();
                }
            };
            if (transport.singleProcess()) {
                session.senders = ThreadSenders.open(transport, endpoints, preset, options.with(RunToken.KEY, token.hex()), schedule, timeout);
                accept.run();
            } else if (senderKind == SenderKind.CHROMIUM) {
                ChromiumSenders browser = ChromiumSenders.launch(transport, endpoints, preset, options, token, schedule, timeout);
                session.senders = browser;
                browser.awaitReady(accept, deadline);
            } else {
                PeerSenders peers = PeerSenders.launch(transport, endpoints, preset, options, token, schedule,
                        topology == Topology.PROCESS_PER_STREAM, timeout);
                session.senders = peers;
                peers.awaitReady(accept, deadline);
            }
            session.senders.start();
            session.openingSample = session.sample();
            return session;
        } catch (RuntimeException e) {
            session.abort();
            throw e;
        }
    }

    /**
     * Waits until some stream has received one more frame: the benchmark's operation, so JMH's score is
     * frames/s over all streams. Fails, naming the cause, when a stream broke or nothing arrived in time.
     */
    public int awaitArrival() {
        try {
            if (!arrivals.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                String fate = senderFate();
                long seconds = TimeUnit.NANOSECONDS.toSeconds(timeoutNanos);
                // A sender that neither died nor said anything is stopped or stalled: name it, as a saturation run does.
                throw new TransportTimeoutException(transport.name() + ": no frame on any of " + streams + " streams within " + seconds + " s"
                        + (fate.isEmpty() ? "; " + senders.who() + " is alive but sent nothing for " + seconds + " s (stopped or stalled?)" : fate));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(transport.name() + ": interrupted waiting for a frame");
        }
        for (StreamReceiver r : streamReceivers) {
            Throwable failure = r.failure();
            if (failure != null) {
                throw new TransportException(transport.name() + ": " + (r.streamId() < 0 ? "the fan-in receiver" : "stream " + r.streamId())
                        + " broke: " + failure.getMessage() + senderFate(), failure);
            }
        }
        return arrivals.availablePermits();
    }

    private String senderFate() {
        String fate = senders.fate(200);
        return fate.isEmpty() ? "" : "; " + fate.replaceAll(": $", "");
    }

    public Transport transport() {
        return transport;
    }

    public int streams() {
        return streams;
    }

    public PacedSchedule schedule() {
        return schedule;
    }

    public Topology topology() {
        return topology;
    }

    public Receivers receivers() {
        return receiversMode;
    }

    /** Sender JVMs of this trial (0 for inproc-*: the senders are threads of this JVM). */
    public int senderProcesses() {
        return senders.processes();
    }

    /** What the senders are ("jvm pid N", or a browser with its version and clock mapping), for the run's log. */
    public String describeSenders() {
        return senders.describe();
    }

    /** The counters now, or as they stood when {@link #close()} began (see {@link WindowSampler}). */
    public WindowSample sample() {
        return sampler.sample();
    }

    private WindowSample sampleNow() {
        long frames = 0;
        long bytes = 0;
        long late = 0;
        long dropped = 0;
        for (StreamReceiver r : streamReceivers) {
            frames += r.frames();
            bytes += r.bytes();
            late += r.late();
            dropped += r.dropped();
        }
        return WindowSample.take(frames, bytes, late, dropped, senders, receivers);
    }

    /** The counters as the schedules began: the start of a window that opened before the session did (no warm-up). */
    public WindowSample openingSample() {
        return openingSample;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Latencies (ns) recorded on every stream since the last call: one window's histogram. */
    public Histogram intervalHistogram() {
        Histogram merged = new Histogram(StreamReceiver.HIGHEST_TRACKABLE_NANOS, StreamReceiver.SIGNIFICANT_DIGITS);
        for (StreamReceiver r : streamReceivers) {
            r.intervalHistogramInto(merged);
        }
        return merged;
    }

    /** What the senders reported after a clean stop, summed over every sender JVM; null before. */
    public SenderStats senderStats() {
        return senderStats;
    }

    /** Stops recording, ends every stream cleanly if it is healthy, and always releases every resource. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Recording stops first, so the closing sample and the histograms end at the same frame (give or take one in hand).
        streamReceivers.forEach(r -> r.recording = false);
        sampler.freeze();
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            senders.stop();
            for (Thread thread : receiverThreads) {
                thread.join(Math.max(1, Deadline.remainingMillis(deadline)));
            }
            senderStats = senders.awaitStats(deadline);
        } catch (RuntimeException e) {
            System.err.println("framebench: " + transport.name() + ": stopping the paced senders failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            abort();
        }
    }

    /** Releases everything without waiting for a clean end: senders killed after a short grace, receivers closed. */
    private void abort() {
        boolean clean = streamReceivers.stream().allMatch(StreamReceiver::ended);
        if (senders != null) {
            senders.close(clean ? 5_000 : 0);
        }
        for (FrameReceiver receiver : receivers) {
            receiver.close();
        }
        for (Thread thread : receiverThreads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
