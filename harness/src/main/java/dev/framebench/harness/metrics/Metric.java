package dev.framebench.harness.metrics;

import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Every figure framebench adds to JMH's results, defined once: the key it has in jmh.json and
 * summary.json, its unit, how JMH aggregates it over iterations and forks, and whether a larger value is
 * better. The profilers that write a figure and the readers that read it (summary.txt, the report,
 * regress, the progress line) name it through this enum, so writer and reader cannot disagree on a
 * spelling. DESIGN.md section 6 and docs/METHOD.md define what each one measures.
 */
public enum Metric {
    /** Bytes received in the window / 10^9 / its seconds ({@link #gbps}). */
    GBPS("gbps", "GB/s", AggregationPolicy.AVG, true),
    CPU_SENDER("cpu.sender.sPerGB", "s/GB", AggregationPolicy.AVG, false),
    CPU_RECEIVER("cpu.receiver.sPerGB", "s/GB", AggregationPolicy.AVG, false),
    /** Sender plus receiver CPU seconds per GB received: the figure the cost model prices. */
    CPU_TOTAL("cpu.total.sPerGB", "s/GB", AggregationPolicy.AVG, false),
    /** Busy CPU of the whole machine per GB (/proc/stat): also catches kernel threads and softirq work. */
    CPU_MACHINE("cpu.machine.sPerGB", "s/GB", AggregationPolicy.AVG, false),
    /** A store the receiver started (s3-handoff's S3Proxy): a third process, apart from both ends. */
    CPU_STORAGE("cpu.storage.sPerGB", "s/GB", AggregationPolicy.AVG, false),
    /** Every process the hand-off involves: sender, receiver and a store; written only where a store is. */
    CPU_ALL("cpu.all.sPerGB", "s/GB", AggregationPolicy.AVG, false),
    RSS_SENDER("rss.sender.MB", "MB", AggregationPolicy.MAX, false),
    RSS_RECEIVER("rss.receiver.MB", "MB", AggregationPolicy.MAX, false),
    RSS_STORAGE("rss.storage.MB", "MB", AggregationPolicy.MAX, false),
    /** Paced: receive time - intended send time, merged as histograms (LatencyResult), not averaged. */
    LATENCY_P50("latency.p50.us", "us", null, false),
    LATENCY_P90("latency.p90.us", "us", null, false),
    LATENCY_P99("latency.p99.us", "us", null, false),
    LATENCY_P999("latency.p999.us", "us", null, false),
    LATENCY_MAX("latency.max.us", "us", null, false),
    FPS_TARGET("fps.target", "frames/s", AggregationPolicy.AVG, true),
    FPS_ACHIEVED("fps.achieved", "frames/s", AggregationPolicy.AVG, true),
    FRAMES_LATE("frames.late", "frames", AggregationPolicy.SUM, false),
    FRAMES_DROPPED("frames.dropped", "frames", AggregationPolicy.SUM, false),
    CORES_SENDER("cores.sender", "cores", AggregationPolicy.AVG, false),
    CORES_RECEIVER("cores.receiver", "cores", AggregationPolicy.AVG, false),
    CORES_PER_STREAM("cores.perStream", "cores", AggregationPolicy.AVG, false),
    CORES_MACHINE("cores.machine", "cores", AggregationPolicy.AVG, false),
    SENDER_PROCESSES("senders.processes", "processes", AggregationPolicy.MAX, false);

    private final String key;
    private final String unit;
    private final AggregationPolicy aggregation;
    private final boolean higherIsBetter;

    Metric(String key, String unit, AggregationPolicy aggregation, boolean higherIsBetter) {
        this.key = key;
        this.unit = unit;
        this.aggregation = aggregation;
        this.higherIsBetter = higherIsBetter;
    }

    /** The name in jmh.json's secondaryMetrics and in summary.json. */
    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** This figure as one iteration's JMH result. */
    public ScalarResult result(double value) {
        if (aggregation == null) {
            throw new IllegalStateException(key + " aggregates as a histogram; use LatencyResult");
        }
        return new ScalarResult(key, value, unit, aggregation);
    }

    /**
     * The CPU of one kind of process of one side ({@code side} "sender" or "receiver"; {@code kind} e.g.
     * "renderer"), in s/GB: where a side is several processes of different kinds (a browser), the reader
     * sees where its cost sits. Keys are {@code cpu.<side>.kind.<kind>.sPerGB}; the kinds are not known in
     * advance, so these figures are named here rather than listed above.
     */
    public static ScalarResult processKindResult(String side, String kind, double sPerGb) {
        return new ScalarResult(processKindKey(side, kind), sPerGb, "s/GB", AggregationPolicy.AVG);
    }

    public static String processKindKey(String side, String kind) {
        return processKindPrefix(side) + kind + ".sPerGB";
    }

    /** The start of every process-kind key of {@code side}. */
    public static String processKindPrefix(String side) {
        return "cpu." + side + ".kind.";
    }

    /** The one definition of GB/s: bytes received / 10^9 / seconds; 0 for an empty window. */
    public static double gbps(long bytes, double seconds) {
        return seconds > 0 ? bytes / 1e9 / seconds : 0;
    }

    /** CPU seconds per GB received: {@code cpuNanos} / 10^9 / (bytes / 10^9). */
    public static double cpuSecondsPerGb(long cpuNanos, long bytes) {
        return cpuNanos / 1e9 / (bytes / 1e9);
    }

    @Override
    public String toString() {
        return key;
    }
}
