package dev.framebench.harness.report;

import dev.framebench.harness.results.BaselineRow;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.OwnCost;
import dev.framebench.harness.results.RunResults;

import java.util.Locale;

/**
 * The headline table of a run, as summary.txt holds it and the terminal shows it: one row per transport x
 * frame (the geometric mean of the forks' means over their measurement iterations, and the 95% interval of
 * GB/s over forks), read from jmh.json by the same reader the report uses, with the memory limit that applies to
 * each row and the row's GB/s over it; the machine's baselines of each frame; a line for every row above its limit
 * (a measurement to investigate, not a result); and framebench's own cost per frame where {@code null} ran.
 */
public final class Summary {
    private Summary() {
    }

    public static String table(RunResults results) {
        StringBuilder t = new StringBuilder();
        // Wide enough for the longest label ("ws-netty chromium->python"), never narrower than the classic 16.
        int width = Math.max(16, results.rows().stream().mapToInt(r -> r.label().length()).max().orElse(0));
        width = Math.max(width, results.baselines().stream().mapToInt(b -> b.baseline().label().length()).max().orElse(0));
        String row = "%-" + width + "s %-11s %-7s %11s %8s %10s %10s %10s %12s %9s %9s %-9s %6s %7s  %s%n";
        t.append(String.format(Locale.ROOT, row, "transport", "frame", "consume", "frames/s", "GB/s", "cpu.send", "cpu.recv", "cpu.total",
                "cpu.machine", "rss.send", "rss.recv", "limit", "GB/s", "x limit", "GB/s 95% interval"));
        t.append(String.format(Locale.ROOT, row, "", "", "", "", "", "s/GB", "s/GB", "s/GB", "s/GB", "MB", "MB", "", "", "", "over forks"));
        boolean wide = false;
        for (BenchmarkRow r : results.rows()) {
            t.append(String.format(Locale.ROOT, row, r.label(), r.frame(), r.consume(), value(r.framesPerSecond(), 0), value(r.gbps(), 3),
                    value(r.cpuSenderSPerGb(), 4), value(r.cpuReceiverSPerGb(), 4), value(r.cpuTotalSPerGb(), 4), value(r.cpuMachineSPerGb(), 4),
                    value(r.rssSenderMb(), 0), value(r.rssReceiverMb(), 0), r.limit().name(), value(r.limit().gbps(), 2),
                    value(r.limit().ratio(), 2) + (r.limit().aboveLimit() ? "!" : ""), interval(r.gbps())));
            wide |= r.gbps().wide();
        }
        for (BaselineRow b : results.baselines()) {
            String second = b.secondGbps().present() ? String.format(Locale.ROOT, "; its reader %s GB/s", value(b.secondGbps(), 3)) : "";
            t.append(String.format(Locale.ROOT, "%-" + width + "s %-11s %-7s %11s %8s   (%s%s)%n",
                    b.baseline().label(), b.frame(), "-", value(b.framesPerSecond(), 0), value(b.gbps(), 3), b.baseline().meaning(), second));
        }
        if (wide) {
            t.append(String.format(Locale.ROOT, "wide: interval wider than +-25%% (beyond x or / 1.25): too noisy to rank on; run more forks%n"));
        }
        if (results.rows().stream().anyMatch(r -> r.limit().present())) {
            t.append(String.format(Locale.ROOT, "limit: the machine's memory limit for the row (copy+read if the transport copies, read-only if "
                    + "not and the receiver reads, memcpy if it copies and nothing reads), its best fork; x limit: GB/s over it%n"));
        }
        for (BenchmarkRow r : results.aboveLimit()) {
            t.append(String.format(Locale.ROOT, "ABOVE LIMIT: %s %s at %s GB/s is %s x its %s limit (%s GB/s): faster than the memory it moves "
                            + "through allows, so a measurement bug to investigate, not a result%n", r.label(), r.frame(), value(r.gbps(), 3),
                    value(r.limit().ratio(), 2), r.limit().name(), value(r.limit().gbps(), 3)));
        }
        for (OwnCost c : results.ownCosts()) {
            t.append(c.line("us")).append(String.format(Locale.ROOT, "%n"));
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
