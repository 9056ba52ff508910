package dev.framebench.harness.report;

import dev.framebench.error.TransportException;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.util.AtomicFiles;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The charts of a run, as SVG with its text kept as text (and, on request, as PNG to look at before
 * publishing): GB/s per transport, GB/s over the run's ceiling ({@code inproc-copy}), CPU s/GB of each side
 * per frame, $/year at 1 TB/s, and $/year against frame size when several presets ran. Every value carries
 * its 95% interval over forks as a whisker (none with one fork, and the chart says so); an axis spanning
 * more than 10x is logarithmic; colours mean the same in every chart ({@link ChartStyle}).
 */
public final class RunCharts {
    /** A chart written into {@code charts/}: its file name and what it shows (the README's alt text). */
    public record ChartFile(String fileName, String title) {
    }

    /** A chart and the file it is written to. */
    record Named(String fileName, Chart chart) {
    }

    static final String INTERVAL_KEY = "95% interval over forks";

    private RunCharts() {
    }

    public static List<ChartFile> write(Path dir, RunResults results, CostModel cost, PrintStream warnings) {
        return write(dir, results, cost, warnings, null);
    }

    /**
     * Writes every chart into {@code dir}, and a PNG of each into {@code pngDir} when it is not null; when one
     * cannot be drawn (a full disk, a JDK without fonts for the PNG) it fails with one line saying why and how
     * to fix it, since a results folder without its charts is incomplete.
     */
    public static List<ChartFile> write(Path dir, RunResults results, CostModel cost, PrintStream warnings, Path pngDir) {
        List<ChartFile> written = new ArrayList<>();
        try {
            for (Named chart : charts(results, cost)) {
                save(dir, chart.fileName(), chart.chart(), written, pngDir);
            }
        } catch (IOException | RuntimeException | LinkageError | InternalError e) {
            // Java2D fails with errors, not exceptions, when a JDK lacks fonts or its native libraries. A results
            // folder without its charts is incomplete, and a published run must not be: the report fails.
            throw new TransportException("charts not drawn in " + dir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); a results folder without them is incomplete: free disk space, or install fonts (Debian: fontconfig"
                    + " fonts-dejavu-core), then run framebench report again", e);
        }
        return written;
    }

    /** The charts of {@code results}, in the order the README shows them. */
    static List<Named> charts(RunResults results, CostModel cost) {
        ChartStyle style = new ChartStyle(results.transports());
        List<String> frames = results.frames().stream().filter(f -> !results.rowsOf(f).isEmpty()).toList();
        List<Named> charts = new ArrayList<>();
        charts.add(new Named("gbps.svg", perTransport(results, frames, style, "Throughput: GB/s per transport (higher is better)", "GB/s received",
                BenchmarkRow::gbps, false)));
        if (results.rows().stream().anyMatch(r -> r.gbpsOverRuler().present() && !r.transport().equals(BenchmarkRow.RULER))) {
            DotChart ratio = perTransport(results, frames, style, "GB/s over the ceiling: x " + BenchmarkRow.RULER + " (higher is closer to one memcpy)",
                    "GB/s over " + BenchmarkRow.RULER + "'s, fork by fork", BenchmarkRow::gbpsOverRuler, true);
            ratio.note(BenchmarkRow.RULER + " copies each frame once in one JVM, in the same run: the ratio holds across machines; "
                    + "inproc-handoff copies nothing, so it passes 1.");
            charts.add(new Named("ratio.svg", ratio.reference(1, BenchmarkRow.RULER + " = 1").logAxis()));
        }
        for (String frame : frames) {
            charts.add(new Named("cpu_" + frame + ".svg", cpu(results, frame, style)));
        }
        charts.add(new Named("cost.svg", perTransport(results, frames, style,
                String.format(Locale.ROOT, "$/year to move 1 TB/s at $%s per vCPU-hour (lower is cheaper)", cost.usdPerVcpuHour()),
                "$/year at 1 TB/s: cpu.total s/GB x 1,000 GB/s x $/vCPU-hour x 8,766 h",
                r -> dollars(cost, r.cpuTotalSPerGb()), false).tickFormat(AxisScale.DOLLARS)));
        if (frames.size() > 1) {
            charts.add(new Named("cost_vs_frame.svg", costAgainstFrameSize(results, cost, style)));
        }
        return charts;
    }

    /** One row per transport, one lane per frame: its colour the transport's, its marker the frame's, its whisker the interval. */
    private static DotChart perTransport(RunResults results, List<String> frames, ChartStyle style, String title, String axisTitle,
                                         Function<BenchmarkRow, Estimate> figure, boolean skipRuler) {
        DotChart chart = new DotChart(title, axisTitle).rowsAreTransports(style);
        for (String transport : results.transports()) {
            if (skipRuler && transport.equals(BenchmarkRow.RULER)) {
                continue;
            }
            for (int lane = 0; lane < frames.size(); lane++) {
                String frame = frames.get(lane);
                int l = lane;
                results.row(transport, frame).ifPresent(r -> chart.dot(dot(transport, l, figure.apply(r), style.of(transport),
                        ChartStyle.markerOf(frame))));
            }
        }
        for (String frame : frames) {
            chart.key(ChartStyle.frameLabel(frame), Color.GRAY, ChartStyle.markerOf(frame));
        }
        return withIntervalNote(chart, results);
    }

    /** CPU s/GB of the sender, the receiver and both, per transport at one frame, in the sides' colours. */
    private static DotChart cpu(RunResults results, String frame, ChartStyle style) {
        DotChart chart = new DotChart("CPU s/GB at " + frame + ": sender, receiver and both (lower is cheaper)",
                "CPU seconds per GB received").rowsAreTransports(style);
        ChartStyle.Marker marker = ChartStyle.markerOf(frame);
        for (BenchmarkRow r : results.rowsOf(frame)) {
            chart.dot(dot(r.label(), 0, r.cpuSenderSPerGb(), ChartStyle.SENDER, marker));
            chart.dot(dot(r.label(), 1, r.cpuReceiverSPerGb(), ChartStyle.RECEIVER, marker));
            chart.dot(dot(r.label(), 2, r.cpuTotalSPerGb(), ChartStyle.BOTH_SIDES, marker));
        }
        chart.key("sender", ChartStyle.SENDER, marker).key("receiver", ChartStyle.RECEIVER, marker).key("total (both sides)", ChartStyle.BOTH_SIDES, marker);
        return withIntervalNote(chart, results);
    }

    private static SlopeChart costAgainstFrameSize(RunResults results, CostModel cost, ChartStyle style) {
        List<String> frames = results.frames().stream().filter(f -> !results.rowsOf(f).isEmpty())
                .sorted(Comparator.comparingLong(f -> results.rowsOf(f).getFirst().frameBytes())).toList();
        SlopeChart chart = new SlopeChart("$/year at 1 TB/s against frame size (lower is cheaper)", "$/year at 1 TB/s",
                frames.stream().map(ChartStyle::frameLabel).toList(), frames.stream().map(ChartStyle::markerOf).toList(), style)
                .tickFormat(AxisScale.DOLLARS);
        for (String transport : results.transports()) {
            double[] values = new double[frames.size()];
            for (int i = 0; i < frames.size(); i++) {
                values[i] = results.row(transport, frames.get(i)).map(r -> dollars(cost, r.cpuTotalSPerGb())).orElse(Estimate.ABSENT).score();
            }
            chart.series(new SlopeChart.Series(transport, values));
        }
        chart.note("Each transport's line in its colour and dash, as in every chart; each value's interval: cost.svg.");
        return chart;
    }

    /** $/year at 1 TB/s of a cpu.total s/GB figure, its interval carried along: the cost is that figure times a constant. */
    private static Estimate dollars(CostModel cost, Estimate cpuTotal) {
        return cpuTotal.present() ? cpuTotal.times(cost.usdPerYearForFleet(1)) : Estimate.ABSENT;
    }

    private static DotChart.Dot dot(String row, int lane, Estimate e, Color colour, ChartStyle.Marker marker) {
        return dot(row, lane, e, new ChartStyle.Line(colour, ChartCanvas.SOLID, ChartStyle.Fill.SOLID), marker);
    }

    private static DotChart.Dot dot(String row, int lane, Estimate e, ChartStyle.Line look, ChartStyle.Marker marker) {
        return new DotChart.Dot(row, lane, e.score(), e.hasInterval() ? e.low() : Double.NaN, e.hasInterval() ? e.high() : Double.NaN,
                look.colour(), marker, look.fill());
    }

    private static DotChart withIntervalNote(DotChart chart, RunResults results) {
        if (chart.dots().stream().anyMatch(DotChart.Dot::hasWhisker)) {
            chart.key(INTERVAL_KEY, Color.GRAY, null);
        }
        return chart.note(intervalNote(results));
    }

    /** What the whiskers are, or why there are none: the figures' fork count. */
    static String intervalNote(RunResults results) {
        int forks = results.rows().stream().mapToInt(r -> r.gbps().forks()).max().orElse(0);
        if (forks >= 2) {
            return "Dot: geometric mean of " + forks + " forks; whisker: its 95% interval (Student t in log space, never below zero).";
        }
        return forks == 1 ? "1 fork: no interval drawn (an interval needs 2 or more forks; publish with 3 or more)."
                : "Fork means unknown (an older summary): no interval drawn.";
    }

    /** Writes {@code chart} as {@code fileName} (SVG) into {@code dir}, and as PNG into {@code pngDir} when it is not null. */
    static void save(Path dir, String fileName, Chart chart, List<ChartFile> written, Path pngDir) throws IOException {
        SvgCanvas svg = new SvgCanvas(chart.width(), chart.height());
        chart.draw(svg);
        AtomicFiles.write(dir.resolve(fileName), svg.bytes());
        if (pngDir != null) {
            // Java2D without a display: the report runs on servers and in CI.
            if (System.getProperty("java.awt.headless") == null) {
                System.setProperty("java.awt.headless", "true");
            }
            RasterCanvas png = new RasterCanvas(chart.width(), chart.height());
            chart.draw(png);
            Files.createDirectories(pngDir);
            AtomicFiles.write(pngDir.resolve(fileName.replaceAll("\\.svg$", ".png")), png.png());
        }
        written.add(new ChartFile(fileName, chart.title()));
    }
}
