package dev.framebench.harness.report;

import dev.framebench.harness.results.SummaryFiles;
import dev.framebench.transport.host.Ec2Detector;
import dev.framebench.harness.run.EnvironmentProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

/** The test resources (see src/test/resources/regress/README.md) and edits of JMH JSON made from them. */
final class Fixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A results folder in {@code dir} holding a copy of a fixture jmh.json. */
    static Path runFolder(Path dir, String fixture) throws IOException {
        Files.createDirectories(dir);
        Files.copy(resource(fixture), dir.resolve("jmh.json"));
        return dir;
    }

    /**
     * A results folder whose jmh.json is the fixture with every number of a metric multiplied: score,
     * error, confidence, percentiles and raw data, as if JMH had measured it so.
     *
     * @param factor (transport or "memcpy", metric name or "primaryMetric") to the factor; 1 leaves it
     */
    static Path scaled(Path dir, String fixture, BiFunction<String, String, Double> factor) throws IOException {
        ArrayNode results = (ArrayNode) MAPPER.readTree(Files.readString(resource(fixture)));
        for (JsonNode result : results) {
            String transport = result.path("params").path("transport").asText("memcpy");
            scale((ObjectNode) result.path("primaryMetric"), factor.apply(transport, "primaryMetric"));
            for (Map.Entry<String, JsonNode> metric : result.path("secondaryMetrics").properties()) {
                scale((ObjectNode) metric.getValue(), factor.apply(transport, metric.getKey()));
            }
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jmh.json"), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        return dir;
    }

    /**
     * Writes the env.json {@link EnvironmentProbe} records for a run folder on a machine with this CPU model and
     * core count, from a fake root of system files beside the folder; on EC2 when {@code instanceType} is not
     * null. The JDK is this test's; the caller edits the returned node to pretend otherwise.
     */
    static ObjectNode env(Path runDir, String cpuModel, int logicalCores, String instanceType) throws IOException {
        Path root = runDir.resolveSibling(runDir.getFileName() + "-sysroot");
        StringBuilder cpuinfo = new StringBuilder();
        for (int i = 0; i < logicalCores; i++) {
            cpuinfo.append("processor\t: ").append(i).append("\nmodel name\t: ").append(cpuModel).append("\n\n");
        }
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cpuinfo"), cpuinfo);
        if (instanceType != null) {
            Path vendor = root.resolve(Ec2Detector.DMI + "sys_vendor");
            Files.createDirectories(vendor.getParent());
            Files.writeString(vendor, "Amazon EC2\n");
        }
        ObjectNode env = new EnvironmentProbe(root, root, () -> () -> Map.of("instanceType", instanceType)).record("nightly", Map.of(), 60);
        writeEnv(runDir, env);
        return env;
    }

    static void writeEnv(Path runDir, ObjectNode env) throws IOException {
        Files.writeString(runDir.resolve("env.json"), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(env));
    }

    /**
     * A copy of results folder {@code from} in {@code to} whose summary.json has every figure multiplied: score,
     * error, low, high and fork means, as if the report had written it from such a run. regress reads summary.json before
     * jmh.json; the copy's jmh.json and summary.csv are left out, since they would disagree with it.
     *
     * @param factor (transport or "memcpy" for the baseline rows, summary.json figure name) to the factor
     */
    static Path scaledSummary(Path from, Path to, BiFunction<String, String, Double> factor) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.equals("jmh.json") && !name.equals(SummaryFiles.CSV)) {
                    Files.copy(file, to.resolve(name));
                }
            }
        }
        ObjectNode summary = (ObjectNode) MAPPER.readTree(Files.readString(from.resolve(SummaryFiles.JSON)));
        for (JsonNode row : summary.path("rows")) {
            scaleFigures((ObjectNode) row, row.path("transport").asText(), factor);
        }
        for (JsonNode row : summary.path("baselines")) {
            scaleFigures((ObjectNode) row, "memcpy", factor);
        }
        Files.writeString(to.resolve(SummaryFiles.JSON), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        return to;
    }

    private static void scaleFigures(ObjectNode row, String transport, BiFunction<String, String, Double> factor) {
        for (Map.Entry<String, JsonNode> figure : row.properties()) {
            if (figure.getValue().isObject()) {
                double f = factor.apply(transport, figure.getKey());
                ObjectNode metric = (ObjectNode) figure.getValue();
                for (String part : new String[] {"score", "error", "low", "high"}) {
                    if (metric.path(part).isNumber()) {
                        metric.put(part, metric.path(part).asDouble() * f);
                    }
                }
                if (metric.path("forkMeans").isArray()) {
                    scaleArray((ArrayNode) metric.path("forkMeans"), f);
                }
            }
        }
    }

    private static void scale(ObjectNode metric, double factor) {
        if (factor == 1.0) {
            return;
        }
        metric.put("score", metric.path("score").asDouble() * factor);
        metric.put("scoreError", metric.path("scoreError").asDouble() * factor);
        scaleArray((ArrayNode) metric.path("scoreConfidence"), factor);
        ObjectNode percentiles = (ObjectNode) metric.path("scorePercentiles");
        percentiles.fieldNames().forEachRemaining(k -> percentiles.put(k, percentiles.path(k).asDouble() * factor));
        for (JsonNode fork : metric.path("rawData")) {
            scaleArray((ArrayNode) fork, factor);
        }
    }

    /**
     * Moves a metric's forks {@code spread} times as far from their common mean and then multiplies every
     * value by {@code factor}: the raw data a run with that change and that much more fork-to-fork noise
     * would have. Score and confidence follow as JMH would report them (the mean, and the raw interval scaled).
     */
    static void spreadForks(ObjectNode metric, double factor, double spread) {
        ArrayNode forks = (ArrayNode) metric.path("rawData");
        double[] means = new double[forks.size()];
        for (int k = 0; k < forks.size(); k++) {
            double sum = 0;
            for (JsonNode v : forks.get(k)) {
                sum += v.asDouble();
            }
            means[k] = sum / forks.get(k).size();
        }
        double mean = java.util.Arrays.stream(means).average().orElse(0);
        for (int k = 0; k < forks.size(); k++) {
            ArrayNode fork = (ArrayNode) forks.get(k);
            double shift = (spread - 1) * (means[k] - mean);
            for (int i = 0; i < fork.size(); i++) {
                fork.set(i, DoubleNode.valueOf((fork.get(i).asDouble() + shift) * factor));
            }
        }
        double score = metric.path("score").asDouble() * factor;
        double error = metric.path("scoreError").asDouble() * factor * spread;
        metric.put("score", score).put("scoreError", error);
        metric.putArray("scoreConfidence").add(score - error).add(score + error);
    }

    private static void scaleArray(ArrayNode array, double factor) {
        for (int i = 0; i < array.size(); i++) {
            array.set(i, DoubleNode.valueOf(array.get(i).asDouble() * factor));
        }
    }
}
