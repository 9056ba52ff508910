package dev.framebench.harness.results;

import dev.framebench.harness.util.Json;
import dev.framebench.harness.jmh.PacedStreamsBenchmark;
import dev.framebench.harness.metrics.Metric;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a paced run's {@code paced/jmh.json} (PacedStreamsBenchmark, written by scripts/paced.sh or by
 * bench-all when its profile says {@code paced=true}): one row per transport x options x streams x
 * topology x receivers, with the latency percentiles, the rate held and the cores each stream costs.
 */
public final class PacedResults {
    static final String PACED_BENCHMARK = PacedStreamsBenchmark.BENCHMARK;

    /** One paced benchmark; latencies in microseconds, cores as CPU seconds per wall second. */
    public record PacedRow(String transport, String frame, String options, int streams, String fps, String topology, String receivers,
                    double p50Us, double p90Us, double p99Us, double p999Us, double maxUs, double fpsAchieved, double framesLate,
                    double framesDropped, double coresSender, double coresReceiver, double coresPerStream, double coresMachine,
                    double cpuTotalSPerGb, double rssSenderMb, double rssReceiverMb, double rssSenderSlopeMbPerMinute,
                    double rssReceiverSlopeMbPerMinute, String sender, String receiver) {
        /** What tells this row apart from the others of a run, for tables and chart axes. */
        public String label() {
            return transport + ("jvm".equals(sender) && "jvm".equals(receiver) ? "" : " " + sender + "->" + receiver) + (options.isEmpty() ? "" : " " + options) + " " + topology + ("fan-in".equals(receivers) ? "/fan-in" : "")
                    + " N=" + streams;
        }

        public double streamsPerCore() {
            return coresPerStream > 0 ? 1 / coresPerStream : Double.NaN;
        }
    }

    private PacedResults() {
    }

    public static List<PacedRow> read(Path jmhJson) throws IOException {
        JsonNode root = Json.MAPPER.readTree(Files.readString(jmhJson));
        List<PacedRow> rows = new ArrayList<>();
        for (JsonNode b : root) {
            if (!PACED_BENCHMARK.equals(b.path("benchmark").asText())) {
                continue;
            }
            JsonNode p = b.path("params");
            JsonNode m = b.path("secondaryMetrics");
            rows.add(new PacedRow(p.path("transport").asText(), p.path("frame").asText(), p.path("options").asText(""),
                    p.path("streams").asInt(), p.path("fps").asText(), p.path("topology").asText(), p.path("receivers").asText("per-stream"),
                    score(m, Metric.LATENCY_P50.key()), score(m, Metric.LATENCY_P90.key()), score(m, Metric.LATENCY_P99.key()), score(m, Metric.LATENCY_P999.key()),
                    score(m, Metric.LATENCY_MAX.key()), score(m, Metric.FPS_ACHIEVED.key()), score(m, Metric.FRAMES_LATE.key()), score(m, Metric.FRAMES_DROPPED.key()),
                    score(m, Metric.CORES_SENDER.key()), score(m, Metric.CORES_RECEIVER.key()), score(m, Metric.CORES_PER_STREAM.key()), score(m, Metric.CORES_MACHINE.key()),
                    score(m, Metric.CPU_TOTAL.key()), score(m, Metric.RSS_SENDER.key()),
                    score(m, Metric.RSS_RECEIVER.key()), slopePerMinute(m.path(Metric.RSS_SENDER.key()), b), slopePerMinute(m.path(Metric.RSS_RECEIVER.key()), b),
                    p.path("sender").asText("jvm"), p.path("receiver").asText("jvm")));
        }
        return rows;
    }

    /** Fewer measurement iterations than this give no slope: two points always fit a line. */
    static final int SLOPE_MIN_ITERATIONS = 3;

    /**
     * How fast a figure grew over the run, per minute: the least-squares slope of its per-iteration values
     * ({@code rawData}, one list per fork) against time, averaged over forks; NaN with fewer than
     * {@link #SLOPE_MIN_ITERATIONS} iterations. For peak RSS it tells a leak (it keeps growing) from a
     * steady state; with {@code pacedPreTouch} the heap is touched at start, so first touch is no growth.
     */
    static double slopePerMinute(JsonNode metric, JsonNode benchmark) {
        double iterationSeconds = seconds(benchmark.path("measurementTime").asText(""));
        double sum = 0;
        int forks = 0;
        for (JsonNode fork : metric.path("rawData")) {
            int n = fork.size();
            if (n < SLOPE_MIN_ITERATIONS || !(iterationSeconds > 0)) {
                continue;
            }
            double meanX = (n - 1) / 2.0;
            double meanY = 0;
            for (JsonNode v : fork) {
                meanY += v.asDouble() / n;
            }
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < n; i++) {
                sxy += (i - meanX) * (fork.get(i).asDouble() - meanY);
                sxx += (i - meanX) * (i - meanX);
            }
            sum += sxy / sxx * 60 / iterationSeconds;
            forks++;
        }
        return forks == 0 ? Double.NaN : sum / forks;
    }

    /** JMH's "60 s" (or "500 ms") as seconds; NaN when it is not in that form. */
    static double seconds(String time) {
        String[] parts = time.trim().split("\\s+");
        if (parts.length != 2) {
            return Double.NaN;
        }
        try {
            double value = Double.parseDouble(parts[0]);
            return switch (parts[1]) {
                case "s" -> value;
                case "ms" -> value / 1e3;
                case "min" -> value * 60;
                default -> Double.NaN;
            };
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double score(JsonNode metrics, String name) {
        return JmhJson.metric(metrics.path(name)).score();
    }
}
