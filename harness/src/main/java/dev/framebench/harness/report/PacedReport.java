package dev.framebench.harness.report;

import dev.framebench.error.TransportException;
import dev.framebench.harness.results.ProcessPrice;
import dev.framebench.harness.results.PacedResults;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

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
        List<RunCharts.ChartFile> written = new ArrayList<>();
        if (rows.isEmpty()) {
            return written;
        }
        try {
            List<String> labels = rows.stream().map(PacedResults.PacedRow::label).toList();
            CategoryChart latency = chart("latency, ms");
            // XChart's bar charts cannot take a log axis; the table beside the chart has every percentile exactly.
            latency.addSeries("p50", labels, millis(rows.stream().map(PacedResults.PacedRow::p50Us).toList()));
            latency.addSeries("p99", labels, millis(rows.stream().map(PacedResults.PacedRow::p99Us).toList()));
            latency.addSeries("p99.9", labels, millis(rows.stream().map(PacedResults.PacedRow::p999Us).toList()));
            RunCharts.save(chartsDir, "paced_latency.svg", "Paced latency percentiles (receive time - intended send time; lower is better)",
                    latency, written);
            CategoryChart perCore = chart("streams per core");
            perCore.addSeries("streams per core", labels, finite(rows.stream().map(PacedResults.PacedRow::streamsPerCore).toList()));
            RunCharts.save(chartsDir, "paced_streams_per_core.svg", "Paced streams per core (1 / cores per stream; higher is cheaper)",
                    perCore, written);
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

    private static CategoryChart chart(String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520).xAxisTitle("transport, topology, streams").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setXAxisTickMarkSpacingHint(12);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    private static List<Double> millis(List<Double> micros) {
        return finite(micros.stream().map(us -> us / 1000).toList());
    }

    /** XChart cannot place NaN; an unmeasured figure is drawn as no bar. */
    private static List<Double> finite(List<Double> values) {
        return values.stream().map(v -> Double.isFinite(v) ? v : 0.0).toList();
    }
}
