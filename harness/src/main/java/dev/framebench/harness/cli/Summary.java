package dev.framebench.harness.cli;

import dev.framebench.harness.jmh.MemcpyBaseline;
import dev.framebench.harness.metrics.Metric;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** The headline table of a run: one row per transport x frame (JMH's mean over measurement iterations). */
final class Summary {
    private Summary() {
    }

    @SuppressWarnings("rawtypes") // JMH's RunResult hands out a raw Map<String, Result>.
    static String table(Collection<RunResult> results) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%-16s %-11s %-7s %11s %8s %10s %10s %10s %12s %9s %9s%n",
                "transport", "frame", "consume", "frames/s", "GB/s", "cpu.send", "cpu.recv", "cpu.total", "cpu.machine", "rss.send", "rss.recv"));
        t.append(String.format(Locale.ROOT, "%-16s %-11s %-7s %11s %8s %10s %10s %10s %12s %9s %9s%n",
                "", "", "", "", "", "s/GB", "s/GB", "s/GB", "s/GB", "MB", "MB"));
        for (RunResult run : results) {
            var params = run.getParams();
            Result<?> primary = run.getPrimaryResult();
            Map<String, Result> secondary = run.getSecondaryResults();
            if (params.getBenchmark().equals(MemcpyBaseline.BENCHMARK)) {
                Result<?> bytes = secondary.get("bytes");
                t.append(String.format(Locale.ROOT, "%-16s %-11s %-7s %11.0f %8s   (single-core memcpy of one frame, the inproc-copy yardstick)%n",
                        "memcpy-baseline", params.getParam("frame"), "-", primary.getScore(),
                        bytes == null ? "-" : String.format(Locale.ROOT, "%.3f", bytes.getScore() / 1e9)));
                continue;
            }
            t.append(String.format(Locale.ROOT, "%-16s %-11s %-7s %11.0f %8s %10s %10s %10s %12s %9s %9s%n",
                    params.getParam("transport"), params.getParam("frame"), params.getParam("consume"), primary.getScore(),
                    value(secondary, Metric.GBPS.key(), 3), value(secondary, Metric.CPU_SENDER.key(), 4), value(secondary, Metric.CPU_RECEIVER.key(), 4),
                    value(secondary, Metric.CPU_TOTAL.key(), 4), value(secondary, Metric.CPU_MACHINE.key(), 4),
                    value(secondary, Metric.RSS_SENDER.key(), 0), value(secondary, Metric.RSS_RECEIVER.key(), 0)));
        }
        return t.toString();
    }

    @SuppressWarnings("rawtypes")
    private static String value(Map<String, Result> secondary, String key, int decimals) {
        Result<?> r = secondary.get(key);
        return r == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", r.getScore());
    }
}
