package dev.framebench.harness.results;

import dev.framebench.harness.jmh.FrameThroughputBenchmark;
import dev.framebench.harness.jmh.MemcpyBaseline;
import dev.framebench.harness.metrics.Metric;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JMH's JSON result file (the raw record of a run) into {@link RunResults}. Benchmarks other than
 * framebench's two are skipped, so a jmh.json with extra benchmarks still reads.
 */
public final class JmhJson {
    static final String FRAME_BENCHMARK = FrameThroughputBenchmark.BENCHMARK;
    static final String MEMCPY_BENCHMARK = MemcpyBaseline.BENCHMARK;

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
        for (JsonNode result : root) {
            String benchmark = result.path("benchmark").asText();
            JsonNode params = result.path("params");
            JsonNode secondary = result.path("secondaryMetrics");
            Estimate framesPerSecond = metric(result.path("primaryMetric"));
            if (benchmark.equals(FRAME_BENCHMARK)) {
                rows.add(new BenchmarkRow(params.path("transport").asText(), params.path("frame").asText(), params.path("consume").asText(),
                        framesPerSecond, metric(secondary.path(Metric.GBPS.key())), metric(secondary.path(Metric.CPU_SENDER.key())),
                        metric(secondary.path(Metric.CPU_RECEIVER.key())), metric(secondary.path(Metric.CPU_TOTAL.key())),
                        metric(secondary.path(Metric.CPU_MACHINE.key())), metric(secondary.path(Metric.RSS_SENDER.key())),
                        metric(secondary.path(Metric.RSS_RECEIVER.key())), Double.NaN));
            } else if (benchmark.equals(MEMCPY_BENCHMARK)) {
                // The baseline counts copied bytes per second as its "bytes" secondary metric.
                baselines.add(new BaselineRow(params.path("frame").asText(), framesPerSecond, metric(secondary.path("bytes")).times(1e-9)));
            }
        }
        return new RunResults(rows, baselines);
    }

    /** A metric object of JMH's JSON; JMH writes "NaN" as a string where it has no error. */
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
