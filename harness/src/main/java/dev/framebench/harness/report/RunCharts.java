package dev.framebench.harness.report;

import dev.framebench.error.TransportException;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.util.AtomicFiles;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The charts of a run, drawn by XChart and written as SVG (XChart's vector export, through
 * VectorGraphics2D): GB/s per transport with each one's 95% interval over forks (on a log axis: transports
 * differ by orders of magnitude, and the interval, taken in log space, is symmetric there), CPU s/GB stacked
 * sender over receiver, $/year at 1 TB/s, and cost against frame size when several presets ran. Drawing
 * needs only Java2D in headless mode, no display.
 */
public final class RunCharts {
    /** A chart written into {@code charts/}: its file name and what it shows (the README's alt text). */
    public record ChartFile(String fileName, String title) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;

    private RunCharts() {
    }

    /**
     * Writes every chart into {@code dir}; when one cannot be drawn (a full disk, a JDK without fonts) it
     * fails with one line saying why and how to fix it, since a results folder without its charts is incomplete.
     */
    public static List<ChartFile> write(Path dir, RunResults results, CostModel cost, java.io.PrintStream warnings) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<ChartFile> written = new ArrayList<>();
        try {
            save(dir, "gbps.svg", "Throughput: GB/s per transport (higher is better)", gbpsWithIntervals(results), written);
            for (String frame : results.frames()) {
                if (!results.rowsOf(frame).isEmpty()) {
                    save(dir, "cpu_" + frame + ".svg", "CPU s/GB at " + frame + ", sender and receiver stacked (lower is cheaper)",
                            cpuStacked(results, frame), written);
                }
            }
            save(dir, "cost.svg", String.format(java.util.Locale.ROOT, "$/year to move 1 TB/s at $%s per vCPU-hour (lower is cheaper)",
                    cost.usdPerVcpuHour()), dollars(byTransport(results, "$/year", r -> score(cost.usdPerYearForFleet(r.cpuTotalSPerGb().score())))), written);
            if (results.frames().stream().filter(f -> !results.rowsOf(f).isEmpty()).count() > 1) {
                save(dir, "cost_vs_frame.svg", "$/year at 1 TB/s against frame size", costAgainstFrameSize(results, cost), written);
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

    private static Estimate score(double value) {
        return Estimate.of(value, Double.NaN, Double.NaN, Double.NaN);
    }

    /** GB/s of every row as a dot, its 95% interval over forks as a whisker (none with one fork), one series per frame. */
    private static CategoryChart gbpsWithIntervals(RunResults results) {
        List<IntervalChart.Point> points = new ArrayList<>();
        for (BenchmarkRow r : results.rows()) {
            Estimate gbps = r.gbps();
            points.add(new IntervalChart.Point(r.transport(), r.frame(), gbps.score(), gbps.hasInterval() ? gbps.low() : Double.NaN,
                    gbps.hasInterval() ? gbps.high() : Double.NaN));
        }
        return IntervalChart.draw(WIDTH, HEIGHT, "transport", "GB/s (log scale; whiskers: 95% interval over forks)", points, null);
    }

    private static CategoryChart byTransport(RunResults results, String yTitle, java.util.function.Function<BenchmarkRow, Estimate> figure) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("transport").yAxisTitle(yTitle).build();
        style(chart);
        for (String frame : results.frames()) {
            List<BenchmarkRow> rows = results.rowsOf(frame);
            if (rows.isEmpty()) {
                continue;
            }
            List<String> names = rows.stream().map(BenchmarkRow::transport).toList();
            List<Double> values = rows.stream().map(r -> finite(figure.apply(r).score())).toList();
            chart.addSeries(frame, names, values);
        }
        return chart;
    }

    private static CategoryChart cpuStacked(RunResults results, String frame) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("transport").yAxisTitle("CPU s/GB").build();
        style(chart);
        chart.getStyler().setStacked(true);
        List<BenchmarkRow> rows = results.rowsOf(frame);
        List<String> names = rows.stream().map(BenchmarkRow::transport).toList();
        chart.addSeries("sender", names, values(rows, r -> r.cpuSenderSPerGb().score()));
        chart.addSeries("receiver", names, values(rows, r -> r.cpuReceiverSPerGb().score()));
        return chart;
    }

    private static XYChart costAgainstFrameSize(RunResults results, CostModel cost) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).xAxisTitle("frame payload MB")
                .yAxisTitle("$/year at 1 TB/s (log scale)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("$#,##0");
        // Transports differ by two orders of magnitude (WebSocket against a shared-memory ring): a linear axis flattens all but one.
        chart.getStyler().setYAxisLogarithmic(true);
        for (String transport : results.transports()) {
            List<BenchmarkRow> rows = results.rows().stream().filter(r -> r.transport().equals(transport) && r.frameBytes() > 0)
                    .sorted(Comparator.comparingLong(BenchmarkRow::frameBytes)).toList();
            if (rows.size() < 2) {
                continue;
            }
            double[] x = rows.stream().mapToDouble(r -> r.frameBytes() / 1e6).toArray();
            double[] y = rows.stream().mapToDouble(r -> finite(cost.usdPerYearForFleet(r.cpuTotalSPerGb().score()))).toArray();
            if (java.util.Arrays.stream(y).anyMatch(v -> v <= 0)) {
                continue; // unmeasured CPU: no point on a log axis
            }
            chart.addSeries(transport, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static CategoryChart dollars(CategoryChart chart) {
        chart.getStyler().setYAxisDecimalPattern("$#,##0");
        return chart;
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        // Every transport named: upright labels, and a tick spacing hint small enough that XChart keeps them all.
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setXAxisTickMarkSpacingHint(12);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    }

    private static List<Double> values(List<BenchmarkRow> rows, ToDoubleFunction<BenchmarkRow> figure) {
        return rows.stream().map(r -> finite(figure.applyAsDouble(r))).toList();
    }

    /** XChart cannot place NaN; an unmeasured figure is drawn as no bar. */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0.0;
    }

    static void save(Path dir, String fileName, String title, Chart<?, ?> chart, List<ChartFile> written) throws IOException {
        chart.setTitle(title);
        // XChart 4's one encoder entry point; "svg" goes through VectorGraphics2D's SVG processor.
        AtomicFiles.write(dir.resolve(fileName), ChartEncoder.getBytes(chart, "svg"));
        written.add(new ChartFile(fileName, title));
    }
}
