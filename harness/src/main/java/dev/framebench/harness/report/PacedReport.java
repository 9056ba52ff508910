package dev.framebench.harness.report;

import dev.framebench.error.TransportException;
import dev.framebench.harness.results.ProcessPrice;
import dev.framebench.harness.results.PacedResults;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The paced part of a run's report, when the folder has {@code paced/jmh.json}: a table of latency
 * percentiles, rate held and cores per stream, a latency-percentile chart and a streams-per-core chart,
 * and the price of a process per stream ({@link ProcessPrice}), computed from the same rows as paced/summary.txt.
 */
public final class PacedReport {
    static final String DIR = "paced";

    private PacedReport() {
    }

    /** The rows of {@code run/paced/jmh.json}, or none when the run had no paced part or it cannot be read. */
    public static List<PacedResults.PacedRow> rows(Path run, PrintStream warnings) {
        Path json = run.resolve(DIR).resolve("jmh.json");
        if (!Files.isRegularFile(json)) {
            return List.of();
        }
        try {
            return PacedResults.read(json);
        } catch (IOException | RuntimeException e) {
            warnings.println("framebench: paced results in " + json + " not readable (" + e.getMessage() + "); the report leaves them out");
            return List.of();
        }
    }

    public static List<RunCharts.ChartFile> charts(Path chartsDir, List<PacedResults.PacedRow> rows, PrintStream warnings) {
        return charts(chartsDir, rows, warnings, null);
    }

    /** The paced charts, and a PNG of each into {@code pngDir} when it is not null. */
    public static List<RunCharts.ChartFile> charts(Path chartsDir, List<PacedResults.PacedRow> rows, PrintStream warnings, Path pngDir) {
        List<RunCharts.ChartFile> written = new ArrayList<>();
        if (rows.isEmpty()) {
            return written;
        }
        try {
            ChartStyle style = new ChartStyle(rows.stream().map(PacedResults.PacedRow::transport).distinct().toList());
            java.util.Map<String, String> transportOf = new java.util.HashMap<>();
            rows.forEach(r -> transportOf.put(r.label(), r.transport()));
            DotChart latency = new DotChart("Paced latency percentiles (receive time - intended send time; lower is better)", "latency, ms")
                    .rowsAreTransports(style, transportOf::get);
            List<ChartStyle.Marker> markers = List.of(ChartStyle.Marker.CIRCLE, ChartStyle.Marker.TRIANGLE_UP, ChartStyle.Marker.SQUARE);
            List<String> percentiles = List.of("p50", "p99", "p99.9");
            for (PacedResults.PacedRow r : rows) {
                List<Double> micros = List.of(r.p50Us(), r.p99Us(), r.p999Us());
                for (int lane = 0; lane < micros.size(); lane++) {
                    latency.dot(new DotChart.Dot(r.label(), lane, micros.get(lane) / 1000, Double.NaN, Double.NaN, style.colourOf(r.transport()),
                            markers.get(lane), style.of(r.transport()).fill()));
                }
            }
            for (int i = 0; i < percentiles.size(); i++) {
                latency.key(percentiles.get(i), Color.GRAY, markers.get(i));
            }
            latency.note("Colour, fill and swatch: the transport's, as in every chart. Every percentile exactly: the table beside the chart, and paced/hgrm/.");
            RunCharts.save(chartsDir, "paced_latency.svg", latency, written, pngDir);
            DotChart perCore = new DotChart("Paced streams per core (1 / cores per stream; higher is cheaper)", "streams per core")
                    .rowsAreTransports(style, transportOf::get);
            for (PacedResults.PacedRow r : rows) {
                perCore.dot(new DotChart.Dot(r.label(), 0, r.streamsPerCore(), Double.NaN, Double.NaN, style.colourOf(r.transport()),
                        ChartStyle.markerOf(r.frame()), style.of(r.transport()).fill()));
            }
            perCore.note("Colour, fill and swatch: the transport's, as in every chart; marker: the frame's.");
            RunCharts.save(chartsDir, "paced_streams_per_core.svg", perCore, written, pngDir);
        } catch (IOException | RuntimeException | LinkageError | InternalError e) {
            throw new TransportException("paced charts not drawn in " + chartsDir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); a results folder without them is incomplete: free disk space, or install fonts, then run framebench report again", e);
        }
        return written;
    }

    public static String section(Path run, List<PacedResults.PacedRow> rows, List<RunCharts.ChartFile> charts) {
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Paced streams\n\n");
        md.append("N streams at a fixed frame rate; latency = receive time - the frame's intended send time (no coordinated omission). ")
                .append("cores = CPU seconds per wall second; a receiver near 1.0 core per receiving thread is busy-spinning. ")
                .append("Percentile files: `paced/hgrm/`.\n\n");
        md.append(Markdown.header(List.of("benchmark", "fps held", "p50 us", "p99 us", "p99.9 us", "max us", "late", "dropped",
                "cores.send", "cores.recv", "cores/stream", "streams/core", "rss.send MB", "rss.recv MB"), "lr"));
        for (PacedResults.PacedRow r : rows) {
            md.append(Markdown.row(List.of("`" + r.label() + "`", Markdown.number(r.fpsAchieved(), 1) + " / " + r.fps(),
                    Markdown.number(r.p50Us(), 0), Markdown.number(r.p99Us(), 0), Markdown.number(r.p999Us(), 0), Markdown.number(r.maxUs(), 0),
                    Markdown.number(r.framesLate(), 0), Markdown.number(r.framesDropped(), 0), Markdown.number(r.coresSender(), 3),
                    Markdown.number(r.coresReceiver(), 3), Markdown.number(r.coresPerStream(), 4), Markdown.number(r.streamsPerCore(), 1),
                    Markdown.number(r.rssSenderMb(), 0), Markdown.number(r.rssReceiverMb(), 0))));
        }
        md.append('\n');
        for (RunCharts.ChartFile chart : charts) {
            md.append("![").append(chart.title()).append("](charts/").append(chart.fileName()).append(")\n\n");
        }
        String prices = PacedSummary.priceTable(ProcessPrice.of(rows));
        if (!prices.isEmpty()) {
            md.append("The price of a process per stream, from `paced/jmh.json`:\n\n```\n").append(prices.strip()).append("\n```\n\n");
        }
        return md.toString();
    }
}
