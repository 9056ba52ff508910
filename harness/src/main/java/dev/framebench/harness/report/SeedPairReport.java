package dev.framebench.harness.report;

import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The meeting-bot finding on its own ends, in one table per frame: the seed's pair (a page in headless
 * Chromium sending over the browser's WebSocket to a Python {@code websockets} receiver) beside each end
 * swapped for framebench's JVM, the JVM pairs over both WebSocket transports, and the best shared-memory
 * ring between two JVMs; then the claim line, the WebSocket pair's CPU per GB against the ring's, and where
 * the browser's and Python's CPU sits by kind of process.
 *
 * <p>The seed: Recall.ai, "How WebSockets cost us $1M on our AWS bill" (its engineering blog): at about 1 TB/s
 * of raw video, the CPU went into "the Python WebSocket client receiving data, followed closely by the
 * Chromium WebSocket implementation sending data", and a shared-memory ring took its place.
 */
public final class SeedPairReport {
    static final String SEED = "Recall.ai, \"How WebSockets cost us $1M on our AWS bill\"";
    private static final List<String> WEBSOCKETS = List.of("ws-netty", "ws-javaws");

    private SeedPairReport() {
    }

    /** The rows of {@code frame} the table shows, in its order; empty when no end other than a JVM ran at that frame. */
    static List<BenchmarkRow> rowsOf(RunResults results, String frame) {
        List<BenchmarkRow> all = results.rowsOf(frame);
        if (all.stream().allMatch(BenchmarkRow::jvmPair)) {
            return List.of();
        }
        List<BenchmarkRow> rows = new ArrayList<>();
        for (String[] ends : new String[][] {{"chromium", "python"}, {"chromium", "jvm"}, {"jvm", "python"}}) {
            all.stream().filter(r -> r.sender().equals(ends[0]) && r.receiver().equals(ends[1])).forEach(rows::add);
        }
        all.stream().filter(r -> r.jvmPair() && WEBSOCKETS.contains(r.transport())).forEach(rows::add);
        bestRing(all).ifPresent(rows::add);
        return rows;
    }

    /** The shared-memory ring between two JVMs with the highest GB/s at this frame. */
    static Optional<BenchmarkRow> bestRing(List<BenchmarkRow> rows) {
        return rows.stream().filter(r -> r.jvmPair() && r.transport().startsWith("shm-") && r.gbps().present())
                .max(Comparator.comparingDouble(r -> r.gbps().score()));
    }

    /** For summary.txt: the table, the claim line and the CPU by kind of process; empty unless a Chromium or Python end ran. */
    public static String table(RunResults results) {
        StringBuilder t = new StringBuilder();
        for (String frame : results.frames()) {
            List<BenchmarkRow> rows = rowsOf(results, frame);
            if (rows.isEmpty()) {
                continue;
            }
            t.append(String.format(Locale.ROOT, "%nthe seed's pair (Chromium -> Python over WebSocket) beside the JVM ends, %s:%n", frame));
            String row = "%-28s %-8s %-8s %8s %10s %10s %10s%n";
            t.append(String.format(Locale.ROOT, row, "transport", "sender", "receiver", "GB/s", "cpu.send", "cpu.recv", "cpu.total"));
            t.append(String.format(Locale.ROOT, row, "", "", "", "", "s/GB", "s/GB", "s/GB"));
            for (BenchmarkRow r : rows) {
                t.append(String.format(Locale.ROOT, row, r.transport(), r.sender(), r.receiver(), number(r.gbps(), 3), number(r.cpuSenderSPerGb(), 4),
                        number(r.cpuReceiverSPerGb(), 4), number(r.cpuTotalSPerGb(), 4)));
            }
            claim(rows).ifPresent(line -> t.append(line).append(System.lineSeparator()));
            for (BenchmarkRow r : rows) {
                if (!r.cpuByProcessKind().isEmpty()) {
                    t.append(String.format(Locale.ROOT, "  %s %s->%s, CPU by kind of process: %s%n", r.transport(), r.sender(), r.receiver(), kinds(r)));
                }
            }
        }
        return t.toString();
    }

    /** For the run's README: the same per frame, as Markdown; empty unless a Chromium or Python end ran. */
    public static String markdown(RunResults results) {
        StringBuilder md = new StringBuilder();
        for (String frame : results.frames()) {
            List<BenchmarkRow> rows = rowsOf(results, frame);
            if (rows.isEmpty()) {
                continue;
            }
            if (md.isEmpty()) {
                md.append("## The seed's pair: Chromium to Python over WebSocket\n\n")
                        .append("The meeting-bot finding (").append(SEED).append(") on its own ends: a page in headless Chromium sending over the")
                        .append(" browser's WebSocket, a Python `websockets` receiver, each end swapped for framebench's JVM, and the best shared-memory")
                        .append(" ring between two JVMs. A side's CPU is all of its processes (a browser's renderer, network service, GPU and")
                        .append(" utility processes). Medians over forks, 95% intervals.\n\n");
            }
            md.append("### ").append(frame).append("\n\n");
            md.append(Markdown.header(List.of("transport", "sender", "receiver", "GB/s", "cpu.send s/GB", "cpu.recv s/GB", "cpu.total s/GB"),
                    "lllr"));
            for (BenchmarkRow r : rows) {
                md.append(Markdown.row(List.of("`" + r.transport() + "`", r.sender(), r.receiver(), Markdown.withInterval(r.gbps(), 3),
                        Markdown.withInterval(r.cpuSenderSPerGb(), 4), Markdown.withInterval(r.cpuReceiverSPerGb(), 4),
                        Markdown.withInterval(r.cpuTotalSPerGb(), 4))));
            }
            md.append('\n');
            claim(rows).ifPresent(line -> md.append("**").append(line).append("**\n\n"));
            for (BenchmarkRow r : rows) {
                if (!r.cpuByProcessKind().isEmpty()) {
                    md.append("- `").append(r.transport()).append("` ").append(r.sender()).append(" -> ").append(r.receiver())
                            .append(", CPU by kind of process: ").append(kinds(r)).append('\n');
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * "chromium -> python over WebSocket: 2.31 s/GB; shm-ffm between two JVMs: 0.41 s/GB: the WebSocket pair takes 5.6x
     * the CPU per GB", the pair being the seed's where it ran, else the JVM ws-netty pair; empty without both.
     */
    static Optional<String> claim(List<BenchmarkRow> rows) {
        Optional<BenchmarkRow> ring = bestRing(rows);
        Optional<BenchmarkRow> pair = rows.stream().filter(r -> r.sender().equals("chromium") && r.receiver().equals("python")).findFirst()
                .or(() -> rows.stream().filter(r -> r.jvmPair() && r.transport().equals("ws-netty")).findFirst());
        if (ring.isEmpty() || pair.isEmpty() || !ring.get().cpuTotalSPerGb().present() || !pair.get().cpuTotalSPerGb().present()) {
            return Optional.empty();
        }
        double ws = pair.get().cpuTotalSPerGb().score();
        double shm = ring.get().cpuTotalSPerGb().score();
        return Optional.of(String.format(Locale.ROOT, "claim: %s -> %s over WebSocket (%s): %.3f s/GB; %s between two JVMs: %.3f s/GB;"
                        + " the WebSocket pair takes %.1fx the CPU per GB of the ring",
                pair.get().sender(), pair.get().receiver(), pair.get().transport(), ws, ring.get().transport(), shm, ws / shm));
    }

    /** "sender.renderer 1.100 s/GB (48% of the sender), sender.network 0.610 s/GB (27% of the sender), ...", the costliest first. */
    static String kinds(BenchmarkRow r) {
        List<String> parts = new ArrayList<>();
        // The largest first: where the cost sits is what a reader looks for.
        List<Map.Entry<String, Estimate>> byCost = r.cpuByProcessKind().entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, Estimate> k) -> -k.getValue().score())).toList();
        for (Map.Entry<String, Estimate> kind : byCost) {
            String side = kind.getKey().substring(0, kind.getKey().indexOf('.'));
            Estimate whole = side.equals("sender") ? r.cpuSenderSPerGb() : r.cpuReceiverSPerGb();
            double share = whole.present() && whole.score() > 0 ? kind.getValue().score() / whole.score() : Double.NaN;
            parts.add(String.format(Locale.ROOT, "%s %.3f s/GB (%s of the %s)", kind.getKey(), kind.getValue().score(),
                    Double.isFinite(share) ? String.format(Locale.ROOT, "%.0f%%", share * 100) : "?", side));
        }
        return String.join(", ", parts);
    }

    private static String number(Estimate e, int decimals) {
        return e.present() && Double.isFinite(e.score()) ? String.format(Locale.ROOT, "%." + decimals + "f", e.score()) : "-";
    }
}
