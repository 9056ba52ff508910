package dev.framebench.harness.jmh;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.session.PacedSession;
import dev.framebench.harness.session.ReceiverKind;
import dev.framebench.harness.session.SenderKind;
import dev.framebench.harness.session.ReceiverStall;
import dev.framebench.harness.session.Receivers;
import dev.framebench.harness.peer.Topology;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Paced streams: N streams of video at a fixed frame rate (1080p30 by default), the load a meeting bot or
 * a chat host actually runs, instead of as fast as the transport goes. It answers what saturation
 * throughput cannot: how late frames arrive at that load, how many cores each stream costs when most of
 * the time there is nothing to do, and what a process per stream costs over a thread per stream.
 *
 * <p>Each stream's sender keeps a fixed schedule and stamps every frame with the time it was
 * <em>due</em> ({@code sendTimeNanos}); each stream has its own transport receiver (connection or ring)
 * and receiving thread in this JVM, which records receive time minus that intended time in an
 * HdrHistogram. A stall anywhere therefore shows as the latency it caused, not as a lower rate that
 * looks fine (no coordinated omission). {@code topology}: {@code thread-per-stream} runs every sender as
 * a thread of one sender JVM, {@code process-per-stream} one sender JVM per stream. The shm transports'
 * {@code idle} option is a parameter (through {@code options}): a busy-spinning receiver
 * ({@code idle=spin}) shows as {@code cores.receiver} near one core per spinning stream even at 30 fps.
 * {@code receivers=fan-in} sends every stream into one many-producer ring ({@code shm-agrona-mpsc}) that one
 * thread drains, as the meeting-bot ring did.
 *
 * <p>The score is frames/s over all streams (each invocation waits for one more frame to arrive);
 * {@link PacedMetricsProfiler} adds latency percentiles, achieved fps, late and dropped frames, cores per
 * process and per stream, CPU s/GB and RSS, over measurement iterations only.
 *
 * <h2>HOW TO RUN</h2>
 * <pre>
 *   scripts/paced.sh --transport tcp,shm-ffm --streams 1,4 --fps 30 --topology thread-per-stream,process-per-stream
 *   # or plain JMH (add the profiler for the metrics; its hgrmDir option writes .hgrm files):
 *   java -jar harness/target/benchmarks.jar PacedStreams -p transport=shm-ffm -p options='idle=futex' \
 *        -p streams=4 -p fps=30 -p topology=process-per-stream \
 *        -prof dev.framebench.harness.jmh.PacedMetricsProfiler:hgrmDir=hgrm -rf json -rff jmh.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(value = 1, jvmArgsAppend = {ForkJvm.HEAP_MIN, ForkJvm.HEAP_MAX, ForkJvm.NATIVE_ACCESS, ForkJvm.AGRONA_UNSAFE})
public class PacedStreamsBenchmark {
    /** This benchmark's name in JMH's results, for the planner that includes it and the readers that find it. */
    public static final String BENCHMARK = "dev.framebench.harness.jmh.PacedStreamsBenchmark.frameArrives";

    @Param({"tcp"})
    public String transport;

    @Param({"1080p-i420"})
    public String frame;

    @Param({"read"})
    public String consume;

    /** Transport options, {@code key=value;key=value} (JMH splits parameters on commas). */
    @Param({""})
    public String options;

    @Param({"1"})
    public String streams;

    /** Frames per second of each stream. */
    @Param({"30"})
    public String fps;

    @Param({"thread-per-stream"})
    public String topology;

    /** {@code per-stream}: a receiver and thread each; {@code fan-in}: every stream into one ring (shm-agrona-mpsc). */
    @Param({"per-stream"})
    public String receivers;

    /** What sends: {@code jvm} (framebench's sender JVMs) or {@code chromium} (one page in headless Chromium keeping every stream's schedule). */
    @Param({"jvm"})
    public String sender;

    /** What receives: {@code jvm} (a thread per stream in this fork) or {@code python} (a Python websockets process per stream). */
    @Param({"jvm"})
    public String receiver;

    private PacedSession session;

    @Setup(Level.Trial)
    public void openSession() {
        ForkJvm.pinReceiver();
        PacedSchedule schedule = PacedSchedule.ofFps(fps);
        int streamCount = PacedSchedule.streams(streams);
        Topology chosenTopology = Topology.byName(topology);
        Transport chosen = TransportRegistry.byName(transport);
        TransportOptions parsed = TransportOptions.parse(options);
        parsed.requireKnownBy(TransportRegistry.all());
        parsed = parsed.forTransport(chosen);
        session = PacedSession.open(chosen, FramePreset.byName(frame), parsed, ConsumeMode.byName(consume), streamCount, schedule,
                chosenTopology, Receivers.byName(receivers), SenderKind.byName(sender), ReceiverKind.byName(receiver), FrameThroughputBenchmark.TIMEOUT, ReceiverStall.NONE);
        if (!sender.equals("jvm") || !receiver.equals("jvm")) {
            // Into jmh.log: which browser, and how its page's clock maps to CLOCK_MONOTONIC (the latency's uncertainty).
            System.out.println("[framebench] ends of " + transport + " " + sender + "->" + receiver + ": sender " + session.describeSenders());
        }
        PacedMetricsProfiler.attach(session);
    }

    @Setup(Level.Iteration)
    public void checkProfiler() {
        PacedMetricsProfiler.warnIfAbsent();
    }

    @Benchmark
    public int frameArrives() {
        return session.awaitArrival();
    }

    @TearDown(Level.Trial)
    public void closeSession() {
        if (session != null) {
            session.close();
        }
    }
}
