package dev.framebench.harness.jmh;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * Single-core memcpy bandwidth for whole frames: the yardstick for {@code inproc-copy}, which does one
 * such copy per frame. It copies the same pooled frames ({@link FramePool#DEFAULT_FRAMES} of them, so
 * the working set matches) into rotating destination buffers; the score is copies/s, and
 * {@code bytes} (an operations counter) reads as bytes/s, so GB/s = bytes / 10^9.
 *
 * <h2>HOW TO RUN</h2>
 * <pre>
 *   java -jar harness/target/benchmarks.jar MemcpyBaseline -p frame=1080p-i420
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkJvm.HEAP_MIN, ForkJvm.HEAP_MAX, ForkJvm.NATIVE_ACCESS})
public class MemcpyBaseline {
    /** This benchmark's name in JMH's results, for the planner that includes it and the readers that find it. */
    public static final String BENCHMARK = "dev.framebench.harness.jmh.MemcpyBaseline.copyFrame";

    /** Destination buffers, as many as an in-process channel owns. */
    private static final int DESTINATIONS = 6;

    @Param({"1080p-i420"})
    public String frame;

    private FramePool pool;
    private Arena arena;
    private MemorySegment[] destinations;
    private int next;

    /** Bytes copied; JMH divides by iteration time, so this reads as bytes/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Copied {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void allocate() {
        pool = new FramePool(FramePreset.byName(frame));
        arena = Arena.ofConfined();
        destinations = new MemorySegment[DESTINATIONS];
        for (int i = 0; i < DESTINATIONS; i++) {
            destinations[i] = arena.allocate(pool.preset().frameBytes(), 64);
        }
    }

    @Benchmark
    public MemorySegment copyFrame(Copied copied) {
        int i = next++;
        MemorySegment destination = destinations[i % DESTINATIONS];
        destination.copyFrom(pool.frame(i % pool.size()));
        copied.bytes += destination.byteSize();
        return destination;
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
        pool.close();
    }
}
