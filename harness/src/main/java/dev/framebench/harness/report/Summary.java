package dev.framebench.harness.report;

import dev.framebench.harness.results.BaselineRow;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;

import java.util.Locale;

/**
 * The headline table of a run, as summary.txt holds it and the terminal shows it: one row per transport x
 * frame (the geometric mean of the forks' means over their measurement iterations, and the 95% interval of
 * GB/s over forks), read from jmh.json by the same reader the report uses, and the memcpy baseline of each frame.
 */
public final class Summary {
    private Summary() {
    }

    public static String table(RunResults results) {
        StringBuilder t = new StringBuilder();
        // Wide enough for the longest label ("ws-netty chromium->python"), never narrower than the classic 16.
        int width = Math.max(16, results.rows().stream().mapToInt(r -> r.label().length()).max().orElse(0));
        String row = "%-" + width + "s %-11s %-7s %11s %8s %10s %10s %10s %12s %9s %9s  %s%n";
        t.append(String.format(Locale.ROOT, row, "transport", "frame", "consume", "frames/s", "GB/s", "cpu.send", "cpu.recv", "cpu.total",
                "cpu.machine", "rss.send", "rss.recv", "GB/s 95% interval"));
        t.append(String.format(Locale.ROOT, row, "", "", "", "", "", "s/GB", "s/GB", "s/GB", "s/GB", "MB", "MB", "over forks"));
        boolean wide = false;
        for (BenchmarkRow r : results.rows()) {
            t.append(String.format(Locale.ROOT, row, r.label(), r.frame(), r.consume(), value(r.framesPerSecond(), 0), value(r.gbps(), 3),
                    value(r.cpuSenderSPerGb(), 4), value(r.cpuReceiverSPerGb(), 4), value(r.cpuTotalSPerGb(), 4), value(r.cpuMachineSPerGb(), 4),
                    value(r.rssSenderMb(), 0), value(r.rssReceiverMb(), 0), interval(r.gbps())));
            wide |= r.gbps().wide();
        }
        for (BaselineRow b : results.baselines()) {
            t.append(String.format(Locale.ROOT, "%-" + width + "s %-11s %-7s %11s %8s   (single-core memcpy of one frame, the inproc-copy yardstick)%n",
                    "memcpy-baseline", b.frame(), "-", value(b.framesPerSecond(), 0), value(b.gbps(), 3)));
        }
        if (wide) {
            t.append(String.format(Locale.ROOT, "wide: interval wider than +-25%% (beyond x or / 1.25): too noisy to rank on; run more forks%n"));
        }
        return t.append(StorageHandoffReport.storeTable(results)).append(SeedPairReport.table(results)).toString();
    }

    /** "2.103-6.135", "wide" after it when so (plain ASCII: terminals in the C locale print no dagger); "1 fork, no interval" where the run had one fork. */
    static String interval(Estimate e) {
        if (!e.present()) {
            return "-";
        }
        if (!e.hasInterval()) {
            return e.forks() == 1 ? "1 fork, no interval" : "-";
        }
        return String.format(Locale.ROOT, "%.3f-%.3f%s", e.low(), e.high(), e.wide() ? " wide" : "");
    }

    private static String value(Estimate e, int decimals) {
        return Double.isNaN(e.score()) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", e.score());
    }
}
