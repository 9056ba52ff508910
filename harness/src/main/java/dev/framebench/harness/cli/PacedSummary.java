package dev.framebench.harness.cli;

import dev.framebench.harness.metrics.Metric;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables of a paced run: one row per benchmark, the receivers that busy-wait, then the price of a process per stream: for each
 * transport x frame x options x fps x streams (N > 1) measured in both topologies, what each of the N - 1
 * extra sender JVMs of process-per-stream adds over thread-per-stream, in peak RSS and in cores, at the
 * same load.
 */
final class PacedSummary {
    /** A receiving thread that uses half a core or more while it waits for 30 frames a second is spinning, not sleeping. */
    static final double BUSY_CORES_PER_THREAD = 0.5;

    private PacedSummary() {
    }

    @SuppressWarnings("rawtypes") // JMH's RunResult hands out a raw Map<String, Result>.
    static String table(Collection<RunResult> results) {
        StringBuilder t = new StringBuilder();
        String row = "%-16s %-11s %-18s %-25s %4s %6s %7s %9s %9s %9s %9s %5s %5s %7s %7s %8s %8s %8s %8s%n";
        t.append(String.format(Locale.ROOT, row, "transport", "frame", "options", "topology", "N", "fps", "fps.got", "p50", "p99",
                "p99.9", "max", "late", "drop", "cores.s", "cores.r", "cores/N", "cpu.tot", "rss.s", "rss.r"));
        t.append(String.format(Locale.ROOT, row, "", "", "", "", "", "", "/stream", "ms", "ms", "ms", "ms", "", "", "", "", "",
                "s/GB", "MB", "MB"));
        Map<String, Map<String, Map<String, Result>>> byTopology = new LinkedHashMap<>();
        for (RunResult run : results) {
            BenchmarkParams p = run.getParams();
            Map<String, Result> m = run.getSecondaryResults();
            t.append(String.format(Locale.ROOT, row, p.getParam("transport"), p.getParam("frame"), orDash(p.getParam("options")),
                    topologyOf(p), p.getParam("streams"), p.getParam("fps"), value(m, Metric.FPS_ACHIEVED.key(), 1, 1),
                    value(m, Metric.LATENCY_P50.key(), 2, 1e-3), value(m, Metric.LATENCY_P99.key(), 2, 1e-3), value(m, Metric.LATENCY_P999.key(), 2, 1e-3),
                    value(m, Metric.LATENCY_MAX.key(), 2, 1e-3), value(m, Metric.FRAMES_LATE.key(), 0, 1), value(m, Metric.FRAMES_DROPPED.key(), 0, 1),
                    value(m, Metric.CORES_SENDER.key(), 3, 1), value(m, Metric.CORES_RECEIVER.key(), 3, 1), value(m, Metric.CORES_PER_STREAM.key(), 3, 1),
                    value(m, Metric.CPU_TOTAL.key(), 3, 1), value(m, Metric.RSS_SENDER.key(), 0, 1), value(m, Metric.RSS_RECEIVER.key(), 0, 1)));
            String key = String.join("|", p.getParam("transport"), p.getParam("frame"), orDash(p.getParam("options")), p.getParam("fps"),
                    p.getParam("streams"));
            key += "|" + p.getParam("receivers");
            byTopology.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(p.getParam("topology"), m);
        }
        List<String> spinning = new ArrayList<>();
        for (RunResult run : results) {
            BenchmarkParams p = run.getParams();
            int threads = "fan-in".equals(p.getParam("receivers")) ? 1 : Integer.parseInt(p.getParam("streams"));
            double receiver = score(run.getSecondaryResults(), Metric.CORES_RECEIVER.key());
            String options = orDash(p.getParam("options"));
            // A spinning thread takes a core each while the machine has one to give; more spinners than cores share them.
            if (receiver / threads >= BUSY_CORES_PER_THREAD || options.matches("(^|.*;)idle=spin(;.*|$)")) {
                spinning.add(String.format(Locale.ROOT, "  %s %s %s %s N=%s at %s fps: receiver %.2f cores for %d receiving thread(s), %.2f each",
                        p.getParam("transport"), options, topologyOf(p), p.getParam("frame"), p.getParam("streams"),
                        p.getParam("fps"), receiver, threads, receiver / threads));
            }
        }
        if (!spinning.isEmpty()) {
            t.append(System.lineSeparator());
            t.append("busy-waiting receivers (idle=spin, or half a core or more per receiving thread): they burn a core per thread,"
                    + " up to the machine's cores, however rarely frames come")
                    .append(System.lineSeparator());
            spinning.forEach(line -> t.append(line).append(System.lineSeparator()));
        }
        List<String> prices = new ArrayList<>();
        String priceRow = "%-16s %-11s %-18s %6s %4s %16s %18s %16s%n";
        for (Map.Entry<String, Map<String, Map<String, Result>>> e : byTopology.entrySet()) {
            Map<String, Result> threads = e.getValue().get("thread-per-stream");
            Map<String, Result> processes = e.getValue().get("process-per-stream");
            String[] k = e.getKey().split("\\|", -1);
            int streams = Integer.parseInt(k[4]);
            if (threads == null || processes == null || streams < 2) {
                continue;
            }
            double extra = streams - 1;
            double rss = (score(processes, Metric.RSS_SENDER.key()) - score(threads, Metric.RSS_SENDER.key())) / extra;
            double cores = (score(processes, Metric.CORES_SENDER.key()) + score(processes, Metric.CORES_RECEIVER.key())
                    - score(threads, Metric.CORES_SENDER.key()) - score(threads, Metric.CORES_RECEIVER.key())) / extra;
            double p99 = (score(processes, Metric.LATENCY_P99.key()) - score(threads, Metric.LATENCY_P99.key())) / 1e3;
            prices.add(String.format(Locale.ROOT, priceRow, k[0], k[1], k[2] + ("fan-in".equals(k[5]) ? " fan-in" : ""), k[3], k[4],
                    fmt(rss, 1), fmt(cores, 4), fmt(p99, 2)));
        }
        if (!prices.isEmpty()) {
            t.append(System.lineSeparator());
            t.append("price of a process per stream: process-per-stream minus thread-per-stream, per extra sender JVM (N - 1 of them)")
                    .append(System.lineSeparator());
            t.append(String.format(Locale.ROOT, priceRow, "transport", "frame", "options", "fps", "N", "rss MB/process",
                    "cores/process", "p99 delta ms"));
            prices.forEach(t::append);
        }
        return t.toString();
    }

    /** The topology, marked when the streams fan in to one receiver. */
    private static String topologyOf(BenchmarkParams p) {
        return "fan-in".equals(p.getParam("receivers")) ? p.getParam("topology") + "/fan-in" : p.getParam("topology");
    }

    private static String orDash(String options) {
        return options == null || options.isBlank() ? "-" : options;
    }

    private static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%+." + decimals + "f", value);
    }

    @SuppressWarnings("rawtypes")
    static double score(Map<String, Result> metrics, String key) {
        Result<?> r = metrics.get(key);
        return r == null ? Double.NaN : r.getScore();
    }

    @SuppressWarnings("rawtypes")
    private static String value(Map<String, Result> metrics, String key, int decimals, double scale) {
        double v = score(metrics, key);
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v * scale);
    }
}
