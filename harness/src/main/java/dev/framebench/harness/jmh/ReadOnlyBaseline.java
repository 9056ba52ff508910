package dev.framebench.harness.jmh;

import dev.framebench.frame.FrameConsumer;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
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
import java.util.concurrent.TimeUnit;

/**
 * Memory bandwidth of one core reading whole frames, nothing else running: the limit of a zero-copy transport
 * ({@code Transport.copiesPerFrame() == 0}: inproc-handoff, a ring the sender renders into) whose receiver
 * reads every frame (consume=read or verify). Such a transport moves no bytes itself; the receiver's read is
 * all the memory traffic a frame makes, so no transport can deliver frames faster than this.
 *
 * <p>One thread reads the pooled frames ({@link FramePool#DEFAULT_FRAMES} pictures, the set a zero-copy
 * receiver reads from its sender) in rotation, with consume=read's own loop ({@link FrameConsumer#readPayload}).
 * The score is frames read per second; {@value #READ_BYTES} (an operations counter) reads as bytes/s, so
 * GB/s = readBytes / 10^9.
 *
 * <h2>HOW TO RUN</h2>
 * <pre>
 *   java -jar harness/target/benchmarks.jar ReadOnlyBaseline -p frame=1080p-i420
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkJvm.HEAP_MIN, ForkJvm.HEAP_MAX, ForkJvm.NATIVE_ACCESS})
public class ReadOnlyBaseline {
    /** This benchmark's name in JMH's results, for the planner that includes it and the readers that find it. */
    public static final String BENCHMARK = "dev.framebench.harness.jmh.ReadOnlyBaseline.readFrame";
    /** The counter in JMH's results: bytes read per second. */
    public static final String READ_BYTES = "readBytes";

    @Param({"1080p-i420"})
    public String frame;

    private FramePool pool;

    @Setup(Level.Trial)
    public void allocate() {
        pool = new FramePool(FramePreset.byName(frame));
    }

    @Benchmark
    public long readFrame(BytesRead read) {
        MemorySegment frame = pool.frame(read.next++ % pool.size());
        long result = FrameConsumer.readPayload(frame);
        read.readBytes += frame.byteSize();
        return result;
    }

    @TearDown(Level.Trial)
    public void free() {
        pool.close();
    }
}
