package dev.framebench.harness.results;

import dev.framebench.harness.jmh.MemoryBaseline;
import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.util.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * {@code summary.json} and {@code summary.csv}: one row per transport x frame with the headline figures,
 * the ratio to {@code inproc-copy}, the memory limit that applies and the ratio to it, and the costs; the
 * machine's baselines; framebench's own cost per frame where the {@code null} transport ran. summary.json keeps each figure's confidence interval and
 * the fork means it came from ({@link Estimate#fromForks}), so {@code regress} can compare two runs from it alone.
 */
public final class SummaryFiles {
    public static final String JSON = "summary.json";
    public static final String CSV = "summary.csv";
    public static final String CSV_HEADER = "transport,frame,consume,frames_per_s,gbps,gbps_error,cpu_sender_s_per_gb,cpu_receiver_s_per_gb,"
            + "cpu_total_s_per_gb,cpu_machine_s_per_gb,rss_sender_mb,rss_receiver_mb,gbps_vs_inproc_copy,"
            + "vcpus_for_1tbps,usd_per_year_at_1tbps,vcpus_per_1080p30_stream,forks,gbps_low,gbps_high,cpu_total_low,cpu_total_high,"
            + "gbps_vs_inproc_copy_low,gbps_vs_inproc_copy_high,sender,receiver,limit,limit_gbps,gbps_vs_limit,gbps_vs_limit_low,gbps_vs_limit_high";
    /** What summary.json says its intervals are. */
    static final String INTERVALS = "95% two-sided Student t over the per-fork means, in log space (n - 1 degrees of freedom); "
            + "centre: geometric mean of the fork means; none with one fork";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryFiles() {
    }

    public static void write(Path dir, RunResults results, CostModel cost) throws IOException {
        AtomicFiles.writeString(dir.resolve(JSON), MAPPER.writeValueAsString(json(results, cost)) + "\n");
        AtomicFiles.writeString(dir.resolve(CSV), csv(results, cost));
    }

    static ObjectNode json(RunResults results, CostModel cost) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("usdPerVcpuHour", cost.usdPerVcpuHour());
        root.put("intervals", INTERVALS);
        ArrayNode rows = root.putArray("rows");
        for (BenchmarkRow r : results.rows()) {
            ObjectNode row = rows.addObject();
            row.put("transport", r.transport());
            row.put("frame", r.frame());
            row.put("consume", r.consume());
            row.put("sender", r.sender());
            row.put("receiver", r.receiver());
            if (!r.options().isEmpty()) {
                row.put("options", r.options());
            }
            row.put("frameBytes", r.frameBytes());
            put(row, "framesPerSecond", r.framesPerSecond());
            put(row, Metric.GBPS.key(), r.gbps());
            put(row, Metric.CPU_SENDER.key(), r.cpuSenderSPerGb());
            put(row, Metric.CPU_RECEIVER.key(), r.cpuReceiverSPerGb());
            put(row, Metric.CPU_TOTAL.key(), r.cpuTotalSPerGb());
            put(row, Metric.CPU_MACHINE.key(), r.cpuMachineSPerGb());
            put(row, Metric.RSS_SENDER.key(), r.rssSenderMb());
            put(row, Metric.RSS_RECEIVER.key(), r.rssReceiverMb());
            if (r.hasStorage()) {
                put(row, Metric.CPU_STORAGE.key(), r.storage().cpuStorageSPerGb());
                put(row, Metric.CPU_ALL.key(), r.storage().cpuAllSPerGb());
                put(row, Metric.RSS_STORAGE.key(), r.storage().rssStorageMb());
            }
            if (!r.cpuByProcessKind().isEmpty()) {
                ObjectNode kinds = row.putObject("cpuByProcessKind");
                r.cpuByProcessKind().forEach((kind, figure) -> put(kinds, kind, figure));
            }
            number(row, "gbpsVsInprocCopy", r.gbpsVsInprocCopy());
            put(row, "gbpsVsInprocCopyInterval", r.gbpsOverRuler());
            double sPerGb = r.cpuTotalSPerGb().score();
            number(row, "vcpusFor1TBps", cost.vcpusForFleet(sPerGb));
            number(row, "usdPerYearAt1TBps", cost.usdPerYearForFleet(sPerGb));
            number(row, "vcpusPer1080p30Stream", cost.vcpusPerStream(sPerGb));
            OptionalInt copies = TransportCopies.of(r.transport());
            if (copies.isPresent()) {
                row.put("copiesPerFrame", copies.getAsInt());
            } else {
                row.putNull("copiesPerFrame");
            }
            if (r.limit().present()) {
                ObjectNode limit = row.putObject("limit");
                limit.put("name", r.limit().name());
                put(limit, Metric.GBPS.key(), r.limit().gbps());
                put(limit, "gbpsOverLimit", r.limit().ratio());
                limit.put("aboveLimit", r.limit().aboveLimit());
            } else {
                row.putNull("limit");
            }
        }
        ArrayNode baselines = root.putArray("baselines");
        for (BaselineRow b : results.baselines()) {
            ObjectNode row = baselines.addObject();
            row.put("baseline", b.baseline().limitName());
            row.put("frame", b.frame());
            put(row, "framesPerSecond", b.framesPerSecond());
            put(row, Metric.GBPS.key(), b.gbps());
            if (b.secondGbps().present()) {
                put(row, "readerGbps", b.secondGbps());
            }
        }
        ArrayNode own = root.putArray("ownCost");
        for (OwnCost c : results.ownCosts()) {
            ObjectNode row = own.addObject();
            row.put("frame", c.frame());
            put(row, "microsPerFrame", c.microsPerFrame());
            if (c.reference() != null) {
                row.put("reference", c.reference().transport());
                put(row, "referenceMicrosPerFrame", c.referenceMicrosPerFrame());
                number(row, "share", c.share());
            }
            row.put("line", c.line("\u00b5s"));
        }
        return root;
    }

    private static void put(ObjectNode row, String name, Estimate m) {
        if (!m.present()) {
            row.putNull(name);
            return;
        }
        ObjectNode metric = row.putObject(name);
        number(metric, "score", m.score());
        number(metric, "error", m.error());
        number(metric, "low", m.low());
        number(metric, "high", m.high());
        if (m.forks() > 0) {
            metric.put("forks", m.forks());
            ArrayNode forks = metric.putArray("forkMeans");
            m.forkMeans().forEach(forks::add);
        }
    }

    /** JSON has no NaN: an unknown figure is null. */
    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    static String csv(RunResults results, CostModel cost) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (BenchmarkRow r : results.rows()) {
            double sPerGb = r.cpuTotalSPerGb().score();
            List<String> cells = List.of(r.transport(), r.frame(), r.consume(), f(r.framesPerSecond().score(), 1), f(r.gbps().score(), 4),
                    f(r.gbps().error(), 4), f(r.cpuSenderSPerGb().score(), 5), f(r.cpuReceiverSPerGb().score(), 5), f(sPerGb, 5),
                    f(r.cpuMachineSPerGb().score(), 5), f(r.rssSenderMb().score(), 1), f(r.rssReceiverMb().score(), 1),
                    f(r.gbpsVsInprocCopy(), 4), f(cost.vcpusForFleet(sPerGb), 1), f(cost.usdPerYearForFleet(sPerGb), 0),
                    f(cost.vcpusPerStream(sPerGb), 5), r.gbps().forks() > 0 ? Integer.toString(r.gbps().forks()) : "",
                    bound(r.gbps(), r.gbps().low(), 4), bound(r.gbps(), r.gbps().high(), 4),
                    bound(r.cpuTotalSPerGb(), r.cpuTotalSPerGb().low(), 5), bound(r.cpuTotalSPerGb(), r.cpuTotalSPerGb().high(), 5),
                    bound(r.gbpsOverRuler(), r.gbpsOverRuler().low(), 4), bound(r.gbpsOverRuler(), r.gbpsOverRuler().high(), 4),
                    r.sender(), r.receiver(), r.limit().present() ? r.limit().name() : "", f(r.limit().gbps().score(), 4),
                    f(r.limit().ratio().score(), 4), bound(r.limit().ratio(), r.limit().ratio().low(), 4),
                    bound(r.limit().ratio(), r.limit().ratio().high(), 4));
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString();
    }

    /** An interval's end for CSV: empty when the figure has no interval (one fork). */
    private static String bound(Estimate m, double value, int decimals) {
        return m.hasInterval() ? f(value, decimals) : "";
    }

    /** A number for CSV: empty when unknown. */
    private static String f(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "";
    }

    /** Reads back what {@link #write} wrote (the rows only; costs are recomputed from them). */
    public static RunResults read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.path("rows").isArray()) {
            throw new BadInputException(file + " is not a framebench summary.json (no \"rows\" array)");
        }
        List<BenchmarkRow> rows = new ArrayList<>();
        for (JsonNode row : root.path("rows")) {
            rows.add(new BenchmarkRow(row.path("transport").asText(), row.path("frame").asText(), row.path("consume").asText(),
                    metric(row.path("framesPerSecond")), metric(row.path(Metric.GBPS.key())), metric(row.path(Metric.CPU_SENDER.key())),
                    metric(row.path(Metric.CPU_RECEIVER.key())), metric(row.path(Metric.CPU_TOTAL.key())), metric(row.path(Metric.CPU_MACHINE.key())),
                    metric(row.path(Metric.RSS_SENDER.key())), metric(row.path(Metric.RSS_RECEIVER.key())), Estimate.ABSENT,
                    new StorageFigures(metric(row.path(Metric.CPU_STORAGE.key())), metric(row.path(Metric.CPU_ALL.key())),
                            metric(row.path(Metric.RSS_STORAGE.key()))),
                    row.path("sender").asText(BenchmarkRow.JVM), row.path("receiver").asText(BenchmarkRow.JVM), kinds(row.path("cpuByProcessKind")))
                    .withOptions(row.path("options").asText("")));
        }
        List<BaselineRow> baselines = new ArrayList<>();
        for (JsonNode row : root.path("baselines")) {
            // Before the memory limits every baseline was memcpy's, and said nothing of its kind.
            MemoryBaseline kind = MemoryBaseline.ofLimitName(row.path("baseline").asText(MemoryBaseline.MEMCPY.limitName())).orElse(null);
            if (kind != null) {
                baselines.add(new BaselineRow(kind, row.path("frame").asText(), metric(row.path("framesPerSecond")), metric(row.path(Metric.GBPS.key())),
                        metric(row.path("readerGbps"))));
            }
        }
        return new RunResults(rows, baselines);
    }

    private static Map<String, Estimate> kinds(JsonNode node) {
        Map<String, Estimate> kinds = new TreeMap<>();
        node.fieldNames().forEachRemaining(kind -> kinds.put(kind, metric(node.path(kind))));
        return kinds;
    }

    private static Estimate metric(JsonNode node) {
        if (!node.isObject()) {
            return Estimate.ABSENT;
        }
        Estimate stored = Estimate.of(value(node.path("score")), value(node.path("error")), value(node.path("low")), value(node.path("high")));
        List<Double> forkMeans = new ArrayList<>();
        node.path("forkMeans").forEach(v -> forkMeans.add(value(v)));
        return new Estimate(stored.score(), stored.error(), stored.low(), stored.high(), forkMeans);
    }

    private static double value(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }
}
