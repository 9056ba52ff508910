package dev.framebench.harness.jmh;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The machine's own limits that a run measures beside its transports, one benchmark each, planned together
 * (profile key {@code baseline}, {@code --no-baseline}) and read together: the planner, the progress lines and
 * the results reader find them here, so a baseline is never taken for a transport.
 *
 * <p>{@link #COPY_READ} and {@link #READ_ONLY} are the limits a transport's row is held to (docs/METHOD.md,
 * "Memory limits"); {@link #MEMCPY} is the single-core yardstick of {@code inproc-copy}, and the limit of a
 * copying transport whose receiver reads nothing (consume=none).
 */
public enum MemoryBaseline {
    /** One core copying frames, the other idle. */
    MEMCPY("memcpy", MemcpyBaseline.BENCHMARK, null, "bytes", null,
            "single-core memcpy of one frame, the inproc-copy yardstick"),
    /** One core copying frames while another reads frames of its own. */
    COPY_READ("copy+read", CopyReadBaseline.BENCHMARK, CopyReadBaseline.COPIES, CopyReadBaseline.COPIED_BYTES,
            CopyReadBaseline.READ_BYTES, "one core copies frames while another reads: the limit of a transport that copies"),
    /** One core reading frames. */
    READ_ONLY("read-only", ReadOnlyBaseline.BENCHMARK, null, ReadOnlyBaseline.READ_BYTES, null,
            "one core reads frames: the limit of a zero-copy transport");

    private final String limitName;
    private final String benchmark;
    private final String framesMetric;
    private final String bytesMetric;
    private final String secondBytesMetric;
    private final String meaning;

    MemoryBaseline(String limitName, String benchmark, String framesMetric, String bytesMetric, String secondBytesMetric, String meaning) {
        this.limitName = limitName;
        this.benchmark = benchmark;
        this.framesMetric = framesMetric;
        this.bytesMetric = bytesMetric;
        this.secondBytesMetric = secondBytesMetric;
        this.meaning = meaning;
    }

    /** The limit's name as a row shows it: {@code copy+read}. */
    public String limitName() {
        return limitName;
    }

    /** The baseline's row label: {@code copy+read-baseline}. */
    public String label() {
        return limitName + "-baseline";
    }

    /** The benchmark's name in JMH's results. */
    public String benchmark() {
        return benchmark;
    }

    /** The secondary metric that counts frames per second, or null where JMH's score does (a benchmark of one method). */
    public String framesMetric() {
        return framesMetric;
    }

    /** The secondary metric that counts the bytes per second the figure is made of (the copier's, for copy+read). */
    public String bytesMetric() {
        return bytesMetric;
    }

    /** The other thread's bytes per second (copy+read's reader), or null where there is one thread. */
    public String secondBytesMetric() {
        return secondBytesMetric;
    }

    /** One line: what it measures and what it is the limit of. */
    public String meaning() {
        return meaning;
    }

    /** Every baseline's benchmark name, in this order. */
    public static List<String> benchmarks() {
        return Arrays.stream(values()).map(MemoryBaseline::benchmark).toList();
    }

    /** The baseline a JMH benchmark name belongs to, if it is one. */
    public static Optional<MemoryBaseline> ofBenchmark(String benchmark) {
        return Arrays.stream(values()).filter(b -> b.benchmark.equals(benchmark)).findFirst();
    }

    /** The baseline of a limit's name ({@code copy+read}), if there is one. */
    public static Optional<MemoryBaseline> ofLimitName(String limitName) {
        return Arrays.stream(values()).filter(b -> b.limitName.equals(limitName)).findFirst();
    }
}
