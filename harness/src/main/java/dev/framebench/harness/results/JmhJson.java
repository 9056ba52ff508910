package dev.framebench.harness.results;

import dev.framebench.harness.jmh.FrameThroughputBenchmark;
import dev.framebench.harness.jmh.MemoryBaseline;
import dev.framebench.harness.metrics.Metric;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads JMH's JSON result file (the raw record of a run) into {@link RunResults}. Benchmarks other than
 * framebench's transport benchmark and its memory baselines ({@link MemoryBaseline}) are skipped, so a jmh.json with extra benchmarks still reads. Rates and CPU figures come
 * from the per-fork raw data ({@link #perFork}); {@link #metric} is JMH's own score, for figures that are not
 * means over iterations (paced mode's merged latency histograms, peaks).
 */
public final class JmhJson {
    static final String FRAME_BENCHMARK = FrameThroughputBenchmark.BENCHMARK;

    private JmhJson() {
    }

    public static RunResults read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse("") + "; is it JMH's JSON (-rf json)?");
        }
        if (root == null || !root.isArray()) {
            throw new BadInputException(file + " is not JMH's JSON (expected an array of benchmark results)");
        }
        List<BenchmarkRow> rows = new ArrayList<>();
        List<BaselineRow> baselines = new ArrayList<>();
        // A sweep of option sets (--options 'A,B') makes one row per set: only then do their labels name them.
        boolean sweep = false;
        String firstSet = null;
        for (JsonNode result : root) {
            if (result.path("benchmark").asText().equals(FRAME_BENCHMARK)) {
                String set = result.path("params").path("options").asText("");
                firstSet = firstSet == null ? set : firstSet;
                sweep |= !set.equals(firstSet);
            }
        }
        for (JsonNode result : root) {
            String benchmark = result.path("benchmark").asText();
            JsonNode params = result.path("params");
            JsonNode secondary = result.path("secondaryMetrics");
            Estimate framesPerSecond = perFork(result.path("primaryMetric"));
            if (benchmark.equals(FRAME_BENCHMARK)) {
                rows.add(new BenchmarkRow(params.path("transport").asText(), params.path("frame").asText(), params.path("consume").asText(),
                        framesPerSecond, perFork(secondary.path(Metric.GBPS.key())), perFork(secondary.path(Metric.CPU_SENDER.key())),
                        perFork(secondary.path(Metric.CPU_RECEIVER.key())), perFork(secondary.path(Metric.CPU_TOTAL.key())),
                        perFork(secondary.path(Metric.CPU_MACHINE.key())), peak(secondary.path(Metric.RSS_SENDER.key())),
                        peak(secondary.path(Metric.RSS_RECEIVER.key())), Estimate.ABSENT,
                        new StorageFigures(perFork(secondary.path(Metric.CPU_STORAGE.key())), perFork(secondary.path(Metric.CPU_ALL.key())),
                                peak(secondary.path(Metric.RSS_STORAGE.key()))),
                        params.path("sender").asText(BenchmarkRow.JVM), params.path("receiver").asText(BenchmarkRow.JVM), processKinds(secondary))
                        .withOptions(sweep ? params.path("options").asText("") : ""));
            } else {
                MemoryBaseline.ofBenchmark(benchmark).ifPresent(b -> baselines.add(baseline(b, params.path("frame").asText(), result)));
            }
        }
        return new RunResults(rows, baselines);
    }

    /** A baseline's figures: its bytes counters read as bytes/s (JMH divides operations counters by time), so GB/s is them / 10^9. */
    static BaselineRow baseline(MemoryBaseline baseline, String frame, JsonNode result) {
        JsonNode secondary = result.path("secondaryMetrics");
        Estimate framesPerSecond = perFork(baseline.framesMetric() == null ? result.path("primaryMetric") : secondary.path(baseline.framesMetric()));
        Estimate second = baseline.secondBytesMetric() == null ? Estimate.ABSENT : perFork(secondary.path(baseline.secondBytesMetric())).times(1e-9);
        return new BaselineRow(baseline, frame, framesPerSecond, perFork(secondary.path(baseline.bytesMetric())).times(1e-9), second);
    }

    /** Every {@code cpu.<side>.kind.<kind>.sPerGB} figure, keyed "side.kind", sides and kinds in name order. */
    static Map<String, Estimate> processKinds(JsonNode secondary) {
        Map<String, Estimate> kinds = new TreeMap<>();
        for (String side : List.of("sender", "receiver")) {
            String prefix = Metric.processKindPrefix(side);
            secondary.fieldNames().forEachRemaining(name -> {
                if (name.startsWith(prefix) && name.endsWith(".sPerGB")) {
                    kinds.put(side + "." + name.substring(prefix.length(), name.length() - ".sPerGB".length()), perFork(secondary.path(name)));
                }
            });
        }
        return kinds;
    }

    /**
     * A figure from its forks: JMH's {@code rawData} holds, per fork, the value of every measurement
     * iteration; each fork's mean is one sample, and {@link Estimate#fromForks} makes the centre and the
     * interval of them. A metric without raw data (an older or hand-made file) keeps JMH's score and has no
     * interval: JMH's own error pools iterations as if they were independent.
     */
    static Estimate perFork(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Estimate.ABSENT;
        }
        JsonNode raw = node.path("rawData");
        if (!raw.isArray() || raw.isEmpty()) {
            return Estimate.of(number(node.path("score")), Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> forkMeans = new ArrayList<>();
        for (JsonNode fork : raw) {
            double sum = 0;
            int n = 0;
            for (JsonNode iteration : fork) {
                double v = number(iteration);
                if (Double.isFinite(v)) {
                    sum += v;
                    n++;
                }
            }
            if (n > 0) {
                forkMeans.add(sum / n);
            }
        }
        return Estimate.fromForks(forkMeans);
    }

    /** A peak (RSS, aggregated by JMH as the maximum over iterations and forks): JMH's score, no interval. */
    static Estimate peak(JsonNode node) {
        Estimate jmh = metric(node);
        return jmh.present() ? Estimate.of(jmh.score(), Double.NaN, Double.NaN, Double.NaN) : jmh;
    }

    /** A metric object of JMH's JSON as JMH summarised it; JMH writes "NaN" as a string where it has no error. */
    static Estimate metric(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Estimate.ABSENT;
        }
        JsonNode confidence = node.path("scoreConfidence");
        return Estimate.of(number(node.path("score")), number(node.path("scoreError")), number(confidence.path(0)), number(confidence.path(1)));
    }

    static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
