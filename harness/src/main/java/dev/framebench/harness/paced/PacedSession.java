package dev.framebench.harness.paced;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.MachineCpu;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.peer.ControlProtocol;
import dev.framebench.harness.peer.PeerProcess;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The receiving side of one paced trial: N streams, each with its own transport receiver (connection or
 * ring) in this JVM and its own receiving thread ({@link StreamReceiver}), fed by senders that keep a
 * fixed schedule ({@link PacedSendLoop}) in one sender JVM ({@link Topology#THREAD_PER_STREAM}) or one
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
    private final List<FrameReceiver> receivers;
    private final List<StreamReceiver> streamReceivers = new ArrayList<>();
    private final List<Thread> receiverThreads = new ArrayList<>();
    private final List<PeerProcess> peers = new ArrayList<>();
    private final List<PacedSendLoop> localLoops = new ArrayList<>();
    private final List<Thread> localSenderThreads = new ArrayList<>();
    private final List<FramePool> localPools = new ArrayList<>();
    private final AtomicReference<Throwable> localSenderFailure = new AtomicReference<>();
    private final Semaphore arrivals = new Semaphore(0);
    private final List<String> senderStats = new ArrayList<>();
    private volatile PacedSample openingSample;
    private volatile PacedSample closingSample;
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
        receiversMode.requireSupportedBy(transport);
        if (transport.singleProcess() && topology == Topology.PROCESS_PER_STREAM) {
            throw new BadInputException(transport.name() + " runs sender and receiver as threads of one JVM by design, so topology="
                    + topology + " does not apply; use topology=" + Topology.THREAD_PER_STREAM);
        }
        List<FrameReceiver> receivers = new ArrayList<>();
        PacedSession session = new PacedSession(transport, streams, schedule, topology, receiversMode, timeout, receivers);
        try {
            for (int i = 0; i < (receiversMode == Receivers.FAN_IN ? 1 : streams); i++) {
                receivers.add(transport.openReceiver(options, preset.frameBytes()));
            }
            long deadline = Deadline.after(timeout.plusSeconds(30));
            if (transport.singleProcess()) {
                session.openLocalSenders(preset, options, timeout, deadline);
            } else {
                session.launchPeers(preset, options, timeout, deadline);
            }
            for (int i = 0; i < receivers.size(); i++) {
                StreamReceiver r = new StreamReceiver(receiversMode == Receivers.FAN_IN ? -1 : i, streams, receivers.get(i), consume.newConsumer(),
                        schedule.intervalNanos(), session.timeoutNanos, session.arrivals, stall);
                Thread thread = new Thread(r, "framebench-paced-receiver-" + i);
                thread.setDaemon(true);
                session.streamReceivers.add(r);
                session.receiverThreads.add(thread);
                thread.start();
            }
            if (transport.singleProcess()) {
                session.localSenderThreads.forEach(Thread::start);
            } else {
                session.peers.forEach(p -> p.command(ControlProtocol.START));
            }
            session.openingSample = session.sample();
            return session;
        } catch (RuntimeException e) {
            session.abort();
            throw e;
        }
    }

    private void launchPeers(FramePreset preset, TransportOptions options, Duration timeout, long deadline) {
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            endpoints.add(receivers.get(receiversMode == Receivers.FAN_IN ? 0 : i).endpoint());
        }
        if (topology == Topology.THREAD_PER_STREAM) {
            peers.add(PeerProcess.launch("paced sender", PacedSenderPeer.class, PacedSenderPeer.arguments(transport.name(), endpoints,
                    preset.presetName(), options.toString(), schedule, 0, streams, timeout)));
        } else {
            // Started together, so N JVM start-ups overlap instead of adding up.
            for (int i = 0; i < streams; i++) {
                peers.add(PeerProcess.launch("paced sender " + i, PacedSenderPeer.class, PacedSenderPeer.arguments(transport.name(),
                        List.of(endpoints.get(i)), preset.presetName(), options.toString(), schedule, i, streams, timeout)));
            }
        }
        for (PeerProcess peer : peers) {
            peer.await(ControlProtocol.READY, deadline);
        }
        for (FrameReceiver receiver : receivers) {
            receiver.awaitSender(deadline);
        }
    }

    private void openLocalSenders(FramePreset preset, TransportOptions options, Duration timeout, long deadline) {
        for (int i = 0; i < streams; i++) {
            FramePool pool = new FramePool(preset);
            localPools.add(pool);
            FrameReceiver receiver = receivers.get(receiversMode == Receivers.FAN_IN ? 0 : i);
            FrameSender sender = transport.openSender(receiver.endpoint(), options);
            receiver.awaitSender(deadline);
            PacedSendLoop loop = new PacedSendLoop(sender, pool, i, schedule, schedule.phaseNanos(i, streams), 0, timeout);
            localLoops.add(loop);
            Thread thread = new Thread(() -> {
                try {
                    loop.run();
                    sender.close();
                } catch (Throwable t) {
                    localSenderFailure.compareAndSet(null, t);
                }
            }, "framebench-paced-sender-" + i);
            thread.setDaemon(true);
            localSenderThreads.add(thread);
        }
    }

    /**
     * Waits until some stream has received one more frame: the benchmark's operation, so JMH's score is
     * frames/s over all streams. Fails, naming the cause, when a stream broke or nothing arrived in time.
     */
    public int awaitArrival() {
        try {
            if (!arrivals.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new TransportTimeoutException(transport.name() + ": no frame on any of " + streams + " streams within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s" + senderFate());
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
        StringBuilder fate = new StringBuilder();
        for (PeerProcess peer : peers) {
            String description = peer.exitDescription(200);
            if (!description.equals("is still running")) {
                fate.append("; sender JVM pid ").append(peer.pid()).append(' ').append(description);
            }
        }
        Throwable local = localSenderFailure.get();
        if (local != null) {
            fate.append("; sender thread failed: ").append(local.getMessage());
        }
        return fate.toString();
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
        return peers.size();
    }

    /** The counters now, or as they stood when {@link #close()} began (JMH tears down before profilers read the last iteration). */
    public PacedSample sample() {
        PacedSample closing = closingSample;
        if (closing != null) {
            return closing;
        }
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
        long senderCpu = 0;
        long senderRss = 0;
        for (PeerProcess peer : peers) {
            long cpu = ProcessCpu.processNanos(peer.pid());
            senderCpu = cpu < 0 || senderCpu < 0 ? -1 : senderCpu + cpu;
            senderRss += Math.max(0, PeakRss.bytes(peer.pid()));
        }
        long localSenderCpu = 0;
        for (Thread thread : localSenderThreads) {
            long cpu = ProcessCpu.threadNanos(thread);
            localSenderCpu = cpu < 0 || localSenderCpu < 0 ? -1 : localSenderCpu + cpu;
        }
        if (!localSenderThreads.isEmpty()) {
            senderCpu = localSenderCpu;
        }
        long self = ProcessCpu.selfNanos();
        long receiverCpu = self < 0 || localSenderCpu < 0 ? -1 : self - localSenderCpu;
        return new PacedSample(System.nanoTime(), frames, bytes, late, dropped, senderCpu, receiverCpu, MachineCpu.busyNanos(),
                senderRss, PeakRss.bytes(ProcessHandle.current().pid()));
    }

    /** The counters as the schedules began: the start of a window that opened before the session did (no warm-up). */
    public PacedSample openingSample() {
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

    /** STATS lines of the sender JVMs after a clean stop, one JSON object each; empty before. */
    public List<String> senderStats() {
        return List.copyOf(senderStats);
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
        try {
            closingSample = sample();
        } catch (RuntimeException e) {
            // A sender is already gone: there is no window to report, and the run has failed anyway.
        }
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            for (PeerProcess peer : peers) {
                if (peer.isAlive()) {
                    peer.command(ControlProtocol.STOP);
                }
            }
            localLoops.forEach(PacedSendLoop::stop);
            for (Thread thread : receiverThreads) {
                thread.join(Math.max(1, Deadline.remainingMillis(deadline)));
            }
            for (PeerProcess peer : peers) {
                senderStats.add(peer.await(ControlProtocol.STATS, deadline));
                peer.await(ControlProtocol.BYE, deadline);
            }
        } catch (RuntimeException e) {
            System.err.println("framebench: " + transport.name() + ": stopping the paced senders failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            abort();
        }
    }

    /** Releases everything without waiting for a clean end: peers killed after a short grace, receivers closed. */
    private void abort() {
        boolean clean = streamReceivers.stream().allMatch(StreamReceiver::ended);
        for (PeerProcess peer : peers) {
            peer.close(clean ? 5_000 : 0);
        }
        localLoops.forEach(PacedSendLoop::stop);
        for (Thread thread : localSenderThreads) {
            thread.interrupt();
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
        for (Thread thread : localSenderThreads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (localSenderThreads.stream().noneMatch(Thread::isAlive)) {
            localPools.forEach(FramePool::close);
        }
    }
}
