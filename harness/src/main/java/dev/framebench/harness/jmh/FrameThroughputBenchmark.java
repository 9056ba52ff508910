package dev.framebench.harness.jmh;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FrameConsumer;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.session.FrameSession;
import dev.framebench.harness.session.ReceiverKind;
import dev.framebench.harness.session.SenderKind;
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

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Saturation throughput of one transport: how many frames per second a receiver in this JVM (the JMH
 * fork) gets from a sender in another JVM that sends as fast as the transport takes them.
 *
 * <p>Each invocation receives one whole frame, consumes it ({@code consume}: none, read, verify) and
 * releases it, so the score is frames/s. The sender starts in {@code @Setup(Level.Trial)} and streams
 * through warm-up and measurement; {@link FrameMetricsProfiler} adds GB/s, CPU seconds per GB of each
 * side and of the machine, and peak RSS, over measurement iterations only.
 *
 * <p>{@code inproc-*} transports run the sender as a thread of this JVM: they are the ceilings, one
 * process with zero or one copy per frame, that every IPC transport is held to.
 *
 * <h2>HOW TO RUN</h2>
 * <pre>
 *   scripts/bench.sh --transport tcp,inproc-copy,inproc-handoff --frame 1080p-i420 --consume read --profile smoke
 *   # or plain JMH (add the profiler for the secondary metrics):
 *   java -jar harness/target/benchmarks.jar FrameThroughput -p transport=tcp -p frame=1080p-i420 \
 *        -prof dev.framebench.harness.jmh.FrameMetricsProfiler -rf json -rff jmh.json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkJvm.HEAP_MIN, ForkJvm.HEAP_MAX, ForkJvm.NATIVE_ACCESS, ForkJvm.AGRONA_UNSAFE})
public class FrameThroughputBenchmark {
    /** This benchmark's name in JMH's results, for the planner that includes it and the readers that find it. */
    public static final String BENCHMARK = "dev.framebench.harness.jmh.FrameThroughputBenchmark.receiveFrame";

    /** How long any blocking step may take before the trial fails: {@code -Dframebench.timeoutSeconds=N}. */
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("framebench.timeoutSeconds", 30));

    @Param({"tcp"})
    public String transport;

    @Param({"1080p-i420"})
    public String frame;

    @Param({"read"})
    public String consume;

    /** What sends: {@code jvm} (framebench's sender JVM) or {@code chromium} (a page in headless Chromium, ws-* only). */
    @Param({"jvm"})
    public String sender;

    /** What receives: {@code jvm} (this fork) or {@code python} (a Python websockets process that consumes each frame itself, ws-* only). */
    @Param({"jvm"})
    public String receiver;

    /** Transport options, {@code key=value;key=value} (JMH splits parameters on commas). */
    @Param({""})
    public String options;

    private FrameSession session;
    private FrameConsumer consumer;

    @Setup(Level.Trial)
    public void openSession() {
        ForkJvm.pinReceiver();
        Transport chosen = TransportRegistry.byName(transport);
        TransportOptions parsed = TransportOptions.parse(options);
        // A key no transport reads is a typo; a key of another transport in the same run is not ours.
        parsed.requireKnownBy(TransportRegistry.all());
        parsed = parsed.forTransport(chosen);
        ConsumeMode mode = ConsumeMode.byName(consume);
        ReceiverKind receiverKind = ReceiverKind.byName(receiver);
        // A receiver in another process consumes there; what reaches this fork is its receipt, not the frame.
        consumer = (receiverKind == ReceiverKind.JVM ? mode : ConsumeMode.NONE).newConsumer();
        session = FrameSession.open(chosen, FramePreset.byName(frame), parsed, mode, SenderKind.byName(sender), receiverKind, TIMEOUT);
        if (!session.endsLabel().isEmpty()) {
            // Into jmh.log: which browser, which Python, how the page's clock maps, beside the figures they made.
            System.out.println("[framebench] ends of " + transport + " " + sender + "->" + receiver + ": " + session.describe());
        }
        FrameMetricsProfiler.attach(session);
        FlameGraphProfiler.attach(session);
    }

    @Setup(Level.Iteration)
    public void checkProfiler() {
        FrameMetricsProfiler.warnIfAbsent();
    }

    @Benchmark
    public long receiveFrame() {
        MemorySegment received = session.receive();
        long result = consumer.consume(received);
        session.release();
        return result;
    }

    @TearDown(Level.Trial)
    public void closeSession() {
        if (session != null) {
            session.close();
        }
    }
}
