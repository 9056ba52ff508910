package dev.framebench.harness.report;

import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.HotFramesFile;
import dev.framebench.harness.results.BaselineRow;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.RunResults;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The README.md of one results folder, for a person on GitHub: the host, a headline table per frame, the
 * charts inline, the cost table, and the flame graphs with their hot frames when the run was profiled.
 */
public final class RunReadme {
    private static final int HOT_FRAMES_SHOWN = 8;

    private RunReadme() {
    }

    public static String render(String runName, JsonNode env, RunResults results, CostModel cost, List<RunCharts.ChartFile> charts, String pacedSection, Path dir) {
        StringBuilder md = new StringBuilder();
        md.append("# framebench run `").append(runName).append("`\n\n");
        md.append("**Host:** ").append(Markdown.hostLine(env)).append(".\n\n");
        String provenance = Markdown.provenance(env);
        if (!provenance.isEmpty()) {
            md.append(provenance).append(".\n\n");
        }
        md.append("Each figure is the geometric mean of its forks' means over the measurement iterations; in brackets, its 95% interval ")
                .append("over forks (Student t in log space, so never below zero). Compare transports by `x inproc-copy` (GB/s over the ")
                .append("one-memcpy ceiling of the same run, fork by fork): it holds across machines, absolute figures do not. ")
                .append("Definitions: [docs/METHOD.md](../../docs/METHOD.md).\n\n");
        if (Files.isDirectory(dir.resolve("flames"))) {
            md.append("> **Profiled run.** async-profiler sampled both JVMs during the measurement iterations, so these figures carry ")
                    .append("its cost: read the flame graphs, take published throughput and CPU figures from an unprofiled run.\n\n");
        }
        for (String frame : results.frames()) {
            List<BenchmarkRow> rows = results.rowsOf(frame);
            if (rows.isEmpty()) {
                continue;
            }
            md.append("## ").append(frame).append("\n\n");
            md.append(Markdown.header(List.of("transport", "GB/s", "frames/s", "cpu.send s/GB", "cpu.recv s/GB", "cpu.total s/GB",
                    "cpu.machine s/GB", "rss.send MB", "rss.recv MB", "x inproc-copy", "limit GB/s", "x limit"), "lr"));
            for (BenchmarkRow r : rows) {
                md.append(Markdown.row(List.of("`" + r.label() + "`", Markdown.withInterval(r.gbps(), 3),
                        Markdown.number(r.framesPerSecond().score(), 0), Markdown.withInterval(r.cpuSenderSPerGb(), 4),
                        Markdown.withInterval(r.cpuReceiverSPerGb(), 4), Markdown.withInterval(r.cpuTotalSPerGb(), 4),
                        Markdown.withInterval(r.cpuMachineSPerGb(), 4), Markdown.number(r.rssSenderMb().score(), 0),
                        Markdown.number(r.rssReceiverMb().score(), 0), Markdown.ratioCell(r),
                        r.limit().present() ? r.limit().name() + " " + Markdown.number(r.limit().gbps().score(), 2) : "-",
                        Markdown.withInterval(r.limit().ratio(), 2) + (r.limit().aboveLimit() ? " **above**" : ""))));
            }
            String legend = Markdown.intervalLegend(rows.stream().flatMap(r -> java.util.stream.Stream.of(r.gbps(), r.cpuSenderSPerGb(),
                    r.cpuReceiverSPerGb(), r.cpuTotalSPerGb(), r.cpuMachineSPerGb(), r.gbpsOverRuler(), r.limit().ratio())).toList());
            if (!legend.isEmpty()) {
                md.append('\n').append(legend);
            }
            // The legend ends in a blank line already.
            md.append(legend.isEmpty() ? "\n" : "").append(limitsSection(results, frame));
            md.append('\n');
        }
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            md.append("Dots are the figures, whiskers their 95% intervals over forks (none with 1 fork); an axis spanning more than 10x ")
                    .append("is logarithmic. Colour means transport, the same in every chart; marker means frame; in the CPU charts ")
                    .append("vermillion is the sender, blue the receiver, black both. ")
                    .append("[Reading the charts](../../README.md#reading-the-charts).\n\n");
            for (RunCharts.ChartFile chart : charts) {
                md.append("![").append(chart.title()).append("](charts/").append(chart.fileName()).append(")\n\n");
            }
        }
        md.append(costSection(results, cost));
        md.append(StorageHandoffReport.markdown(results, cost, env == null ? "" : env.path("profile").path("options").asText("")));
        md.append(SeedPairReport.markdown(results));
        md.append(pacedSection);
        md.append(flamesSection(dir));
        md.append("## Files\n\n")
                .append("`jmh.json` (JMH's raw record), `env.json` (the machine), `summary.json` and `summary.csv` (these tables), ")
                .append("`charts/*.svg`").append(Files.isDirectory(dir.resolve("flames")) ? ", `flames/` (flame graphs)" : "")
                .append(". Regenerate this page with `scripts/framebench report <this folder>`.\n");
        return md.toString();
    }

    /**
     * Under a frame's table: the machine's baselines, the rule that picks a row's limit, every row above its
     * limit, and framebench's own cost per frame.
     */
    static String limitsSection(RunResults results, String frame) {
        StringBuilder md = new StringBuilder();
        List<BaselineRow> baselines = results.baselinesOf(frame);
        if (!baselines.isEmpty()) {
            md.append("The machine's own limits at this frame (same working set, no transport):\n\n");
            for (BaselineRow b : baselines) {
                md.append("- `").append(b.baseline().limitName()).append("`: ").append(Markdown.withInterval(b.gbps(), 3)).append(" GB/s");
                if (b.secondGbps().present()) {
                    md.append(" (its reader: ").append(Markdown.withInterval(b.secondGbps(), 3)).append(" GB/s)");
                }
                md.append(", ").append(b.baseline().meaning()).append(".\n");
            }
            md.append('\n');
        }
        if (results.rowsOf(frame).stream().anyMatch(r -> r.limit().present())) {
            md.append("`x limit`: GB/s over the limit that applies (the baseline's best fork): copy+read for a transport that copies each frame ")
                    .append("(`copiesPerFrame` >= 1) while its receiver reads, read-only for one that copies nothing, memcpy for one that ")
                    .append("copies while nothing reads (consume=none); none for a zero-copy transport with consume=none ")
                    .append("([docs/METHOD.md](../../docs/METHOD.md#memory-limits)).\n\n");
        }
        for (BenchmarkRow r : results.rowsOf(frame)) {
            if (r.limit().aboveLimit()) {
                md.append("> **Above its limit:** `").append(r.label()).append("` moved ").append(Markdown.number(r.gbps().score(), 3))
                        .append(" GB/s, ").append(Markdown.number(r.limit().ratio().score(), 2)).append(" x its ").append(r.limit().name())
                        .append(" limit: faster than the memory it moves through allows, so a measurement bug to investigate, not a result.\n\n");
            }
        }
        results.ownCosts().stream().filter(c -> c.frame().equals(frame))
                .forEach(c -> md.append(c.line("\u00b5s")).append(". The `null` transport is a one-slot hand-off between two threads: ")
                        .append("what every row pays framebench (stamp, hand-off, accounting, the consume), not a transport to rank.\n\n"));
        return md.toString();
    }

    static String costSection(RunResults results, CostModel cost) {
        StringBuilder md = new StringBuilder("## Cost\n\n");
        md.append("CPU priced at $").append(cost.usdPerVcpuHour()).append(" per vCPU-hour (the profile's `usdPerVcpuHour`). ")
                .append("vCPUs = cpu.total s/GB x GB/s moved; $/year = vCPUs x $/vCPU-hour x 8,766 h. ")
                .append("1 TB/s is the meeting-bot fleet's load; a 1080p30 I420 stream is 0.0933 GB/s. CPU only: no memory, no headroom.\n\n");
        md.append(Markdown.header(List.of("transport", "frame", "cpu.total s/GB", "vCPUs for 1 TB/s", "$/year at 1 TB/s",
                "vCPUs per 1080p30 stream", "streams per vCPU"), "llr"));
        // null moves no frame anywhere: priced at 1 TB/s it would read as the cheapest transport, which it is not.
        for (BenchmarkRow r : results.rows().stream().filter(r -> !r.floor()).toList()) {
            double sPerGb = r.cpuTotalSPerGb().score();
            md.append(Markdown.row(List.of("`" + r.label() + "`", r.frame(), Markdown.number(sPerGb, 4), Markdown.number(cost.vcpusForFleet(sPerGb), 0),
                    "$" + Markdown.number(cost.usdPerYearForFleet(sPerGb), 0), Markdown.number(cost.vcpusPerStream(sPerGb), 4),
                    Markdown.number(1 / cost.vcpusPerStream(sPerGb), 1))));
        }
        return md.append('\n').toString();
    }

    /** Links to flames/*.html and the hot-frames tables beside them; empty when the run was not profiled. */
    static String flamesSection(Path dir) {
        Path flames = dir.resolve("flames");
        if (!Files.isDirectory(flames)) {
            return "";
        }
        List<Path> graphs = list(flames, ".html");
        List<Path> hot = list(flames, ".json").stream().filter(p -> p.getFileName().toString().contains("hot")).toList();
        StringBuilder md = new StringBuilder("## Flame graphs\n\n");
        if (graphs.isEmpty() && hot.isEmpty()) {
            return md.append("The run was profiled but left no flame graphs in `flames/`.\n\n").toString();
        }
        for (Path graph : graphs) {
            String name = graph.getFileName().toString();
            md.append("- [").append(name.replace(".html", "").replace('_', ' ')).append("](flames/").append(name).append(")\n");
        }
        md.append('\n');
        for (Path file : hot) {
            String name = file.getFileName().toString();
            List<HotFramesFile.Side> sides = HotFramesFile.read(file, HOT_FRAMES_SHOWN);
            md.append("### Hot frames: ").append(name.replace("_hot.json", "").replace('_', ' ')).append("\n\n");
            if (sides.isEmpty()) {
                md.append("See [").append(name).append("](flames/").append(name).append(").\n\n");
                continue;
            }
            for (HotFramesFile.Side side : sides) {
                if (!side.profiled()) {
                    md.append("**").append(side.role()).append(":** not profiled (").append(side.why()).append(").\n\n");
                    continue;
                }
                md.append("**").append(side.role()).append("** (event `").append(side.event()).append("`, ")
                        .append(side.samples()).append(" samples): top self-time frames\n\n");
                md.append(Markdown.header(List.of("self %", "samples", "frame"), "rrl"));
                for (HotFramesFile.HotFrame f : side.top()) {
                    md.append(Markdown.row(List.of(Markdown.number(f.percent(), 1), Long.toString(f.samples()),
                            "`" + f.name().replace("|", "\\|") + "`")));
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
