package dev.framebench.harness.jmh;

import dev.framebench.frame.FrameConsumer;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * Memory bandwidth of one core copying frames while another core reads frames: the limit of a transport that
 * copies each frame at least once while its receiver reads it ({@code Transport.copiesPerFrame() >= 1},
 * consume=read or verify). {@link MemcpyBaseline} copies with the other core idle; {@code inproc-copy} adds a
 * reader on the other core and reached about half of it. This benchmark has that reader without the hand-off,
 * so the two halves of the question separate: what two cores take from the memory they share, and what a
 * queue adds on top.
 *
 * <p>An asymmetric JMH group of two threads, each on its own working set of the sizes inproc-copy uses: the
 * copier copies the pooled frames ({@link FramePool#DEFAULT_FRAMES} pictures) into
 * {@value #DESTINATIONS} rotating destination buffers, as {@link MemcpyBaseline} does; the reader reads
 * {@value #DESTINATIONS} rotating buffers of its own, each a frame, with consume=read's own loop
 * ({@link FrameConsumer#readPayload}). Nothing passes between them: no hand-off, no waiting. The figure is the
 * copier's {@value #COPIED_BYTES} (an operations counter: bytes/s, so GB/s = copiedBytes / 10^9); the
 * reader's {@value #READ_BYTES} is a second figure. JMH's score is the group's operations, copies and reads
 * together: read the per-method {@code copy} for frames copied per second.
 *
 * <h2>HOW TO RUN</h2>
 * <pre>
 *   java -jar harness/target/benchmarks.jar CopyReadBaseline -p frame=1080p-i420
 * </pre>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkJvm.HEAP_MIN, ForkJvm.HEAP_MAX, ForkJvm.NATIVE_ACCESS})
public class CopyReadBaseline {
    /** This benchmark's name in JMH's results (the group's), for the planner that includes it and the readers that find it. */
    public static final String BENCHMARK = "dev.framebench.harness.jmh.CopyReadBaseline.copyRead";
    /** The copier's counter in JMH's results: bytes copied per second. */
    public static final String COPIED_BYTES = "copiedBytes";
    /** The reader's counter in JMH's results: bytes read per second. */
    public static final String READ_BYTES = ReadOnlyBaseline.READ_BYTES;
    /** The copier's own score in JMH's results: frames copied per second. */
    public static final String COPIES = "copy";

    /** Destination buffers, as many as an in-process channel owns; the reader rotates through as many. */
    static final int DESTINATIONS = 6;

    @Param({"1080p-i420"})
    public String frame;

    private FramePool pool;
    private Arena arena;
    private MemorySegment[] destinations;
    private MemorySegment[] readerFrames;

    /** The copier's bytes and its place in the rotation; JMH divides the public counter by iteration time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Copied {
        public long copiedBytes;
        private int next;

        @Setup(Level.Iteration)
        public void reset() {
            copiedBytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void allocate() {
        pool = new FramePool(FramePreset.byName(frame));
        // Shared: the group's threads use what one of them allocated.
        arena = Arena.ofShared();
        long frameBytes = pool.preset().frameBytes();
        destinations = new MemorySegment[DESTINATIONS];
        readerFrames = new MemorySegment[DESTINATIONS];
        for (int i = 0; i < DESTINATIONS; i++) {
            destinations[i] = arena.allocate(frameBytes, 64);
            // Real frames, so the reader reads what a receiver would (the loop reads any bytes alike).
            readerFrames[i] = arena.allocate(frameBytes, 64).copyFrom(pool.frame(i % pool.size()));
        }
    }

    @Benchmark
    @Group("copyRead")
    @GroupThreads(1)
    public MemorySegment copy(Copied copied) {
        int i = copied.next++;
        MemorySegment destination = destinations[i % DESTINATIONS];
        destination.copyFrom(pool.frame(i % pool.size()));
        copied.copiedBytes += destination.byteSize();
        return destination;
    }

    @Benchmark
    @Group("copyRead")
    @GroupThreads(1)
    public long read(BytesRead read) {
        MemorySegment frame = readerFrames[read.next++ % DESTINATIONS];
        long result = FrameConsumer.readPayload(frame);
        read.readBytes += frame.byteSize();
        return result;
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
        pool.close();
    }
}
