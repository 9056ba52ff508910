package dev.framebench.harness.report;

import dev.framebench.harness.results.PacedResults.PacedRow;
import dev.framebench.harness.results.ProcessPrice;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of a paced run: one row per benchmark, the receivers that busy-wait, then the price of a process per stream: for each
 * transport x frame x options x fps x streams (N > 1) measured in both topologies, what each of the N - 1
 * extra sender JVMs of process-per-stream adds over thread-per-stream, in peak RSS and in cores, at the
 * same load.
 */
public final class PacedSummary {
    /** A receiving thread that uses half a core or more while it waits for 30 frames a second is spinning, not sleeping. */
    static final double BUSY_CORES_PER_THREAD = 0.5;

    private PacedSummary() {
    }

    /** The tables of {@code rows}, as paced/summary.txt holds them and the terminal shows them. */
    public static String table(List<PacedRow> rows) {
        StringBuilder t = new StringBuilder();
        // Wide enough for the longest transport with its ends ("ws-netty chromium->python"), never narrower than 16.
        int width = Math.max(16, rows.stream().mapToInt(r -> transportOf(r).length()).max().orElse(0));
        String row = "%-" + width + "s %-11s %-18s %-25s %4s %6s %7s %9s %9s %9s %9s %5s %5s %7s %7s %8s %8s %8s %8s%n";
        t.append(String.format(Locale.ROOT, row, "transport", "frame", "options", "topology", "N", "fps", "fps.got", "p50", "p99",
                "p99.9", "max", "late", "drop", "cores.s", "cores.r", "cores/N", "cpu.tot", "rss.s", "rss.r"));
        t.append(String.format(Locale.ROOT, row, "", "", "", "", "", "", "/stream", "ms", "ms", "ms", "ms", "", "", "", "", "",
                "s/GB", "MB", "MB"));
        for (PacedRow r : rows) {
            t.append(String.format(Locale.ROOT, row, transportOf(r), r.frame(), orDash(r.options()), topologyOf(r), r.streams(), r.fps(),
                    value(r.fpsAchieved(), 1, 1), value(r.p50Us(), 2, 1e-3), value(r.p99Us(), 2, 1e-3), value(r.p999Us(), 2, 1e-3),
                    value(r.maxUs(), 2, 1e-3), value(r.framesLate(), 0, 1), value(r.framesDropped(), 0, 1),
                    value(r.coresSender(), 3, 1), value(r.coresReceiver(), 3, 1), value(r.coresPerStream(), 3, 1),
                    value(r.cpuTotalSPerGb(), 3, 1), value(r.rssSenderMb(), 0, 1), value(r.rssReceiverMb(), 0, 1)));
        }
        List<String> spinning = new ArrayList<>();
        for (PacedRow r : rows) {
            int threads = "fan-in".equals(r.receivers()) ? 1 : r.streams();
            double receiver = r.coresReceiver();
            String options = orDash(r.options());
            // A spinning thread takes a core each while the machine has one to give; more spinners than cores share them.
            if (receiver / threads >= BUSY_CORES_PER_THREAD || options.matches("(^|.*;)idle=spin(;.*|$)")) {
                spinning.add(String.format(Locale.ROOT, "  %s %s %s %s N=%d at %s fps: receiver %.2f cores for %d receiving thread(s), %.2f each",
                        r.transport(), options, topologyOf(r), r.frame(), r.streams(), r.fps(), receiver, threads, receiver / threads));
            }
        }
        if (!spinning.isEmpty()) {
            t.append(System.lineSeparator());
            t.append("busy-waiting receivers (idle=spin, or half a core or more per receiving thread): they burn a core per thread,"
                    + " up to the machine's cores, however rarely frames come")
                    .append(System.lineSeparator());
            spinning.forEach(line -> t.append(line).append(System.lineSeparator()));
        }
        t.append(priceTable(ProcessPrice.of(rows)));
        t.append(rssGrowth(rows));
        return t.toString();
    }

    /** The transport, and the ends where they are not two JVMs: "ws-netty chromium->python". */
    static String transportOf(PacedRow r) {
        return "jvm".equals(r.sender()) && "jvm".equals(r.receiver()) ? r.transport() : r.transport() + " " + r.sender() + "->" + r.receiver();
    }

    /** Peak RSS growth per minute of each side, for runs long enough to have one (a soak); empty otherwise. */
    static String rssGrowth(List<PacedRow> rows) {
        List<PacedRow> with = rows.stream().filter(r -> Double.isFinite(r.rssReceiverSlopeMbPerMinute()) || Double.isFinite(r.rssSenderSlopeMbPerMinute())).toList();
        if (with.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder(System.lineSeparator());
        t.append("peak RSS growth (least-squares slope over the measurement iterations; a steady run is near 0)").append(System.lineSeparator());
        String row = "%-16s %-11s %-18s %-25s %4s %16s %16s%n";
        t.append(String.format(Locale.ROOT, row, "transport", "frame", "options", "topology", "N", "sender MB/min", "receiver MB/min"));
        for (PacedRow r : with) {
            t.append(String.format(Locale.ROOT, row, r.transport(), r.frame(), orDash(r.options()), topologyOf(r), r.streams(),
                    fmt(r.rssSenderSlopeMbPerMinute(), 3), fmt(r.rssReceiverSlopeMbPerMinute(), 3)));
        }
        return t.toString();
    }

    /** The price of a process per stream, as a text table; empty when no N > 1 ran in both topologies. */
    public static String priceTable(List<ProcessPrice> prices) {
        if (prices.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder();
        String priceRow = "%-16s %-11s %-18s %6s %4s %16s %18s %16s%n";
        t.append(System.lineSeparator());
        t.append("price of a process per stream: process-per-stream minus thread-per-stream, per extra sender JVM (N - 1 of them)")
                .append(System.lineSeparator());
        t.append(String.format(Locale.ROOT, priceRow, "transport", "frame", "options", "fps", "N", "rss MB/process",
                "cores/process", "p99 delta ms"));
        for (ProcessPrice p : prices) {
            t.append(String.format(Locale.ROOT, priceRow, p.transport(), p.frame(), orDash(p.options()) + ("fan-in".equals(p.receivers()) ? " fan-in" : ""),
                    p.fps(), p.streams(), fmt(p.rssMbPerProcess(), 1), fmt(p.coresPerProcess(), 4), fmt(p.p99DeltaMs(), 2)));
        }
        return t.toString();
    }

    /** The topology, marked when the streams fan in to one receiver. */
    private static String topologyOf(PacedRow r) {
        return "fan-in".equals(r.receivers()) ? r.topology() + "/fan-in" : r.topology();
    }

    private static String orDash(String options) {
        return options == null || options.isBlank() ? "-" : options;
    }

    private static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%+." + decimals + "f", value);
    }

    private static String value(double v, int decimals, double scale) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v * scale);
    }
}
