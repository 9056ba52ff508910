package dev.framebench.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.results.RunResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The charts of a run: which ones, their whiskers (each figure's own interval over forks), their colours and axes. */
class RunChartsTest {
    private static final CostModel COST = new CostModel(0.05);

    /** The regress fixture (2 forks x 5 iterations), tcp's GB/s forks pushed far apart: an interval wider than its value. */
    private static RunResults twoForks(Path dir) throws IOException {
        Path run = Fixtures.runFolder(dir, RegressTest.BASELINE);
        ArrayNode json = (ArrayNode) Fixtures.MAPPER.readTree(Files.readString(run.resolve("jmh.json")));
        for (JsonNode result : json) {
            if (result.path("params").path("transport").asText().equals("tcp")) {
                Fixtures.spreadForks((ObjectNode) result.path("secondaryMetrics").path("gbps"), 1.0, 60);
            }
        }
        Files.writeString(run.resolve("jmh.json"), Fixtures.MAPPER.writeValueAsString(json));
        return JmhJson.read(run.resolve("jmh.json"));
    }

    private static Chart chart(List<RunCharts.Named> charts, String fileName) {
        return charts.stream().filter(c -> c.fileName().equals(fileName)).findFirst().orElseThrow(() -> new AssertionError("no " + fileName)).chart();
    }

    private static List<DotChart.Dot> dotsOf(DotChart chart, String row) {
        return chart.dots().stream().filter(d -> d.row().equals(row)).toList();
    }

    @Test
    void whiskersAreEachFiguresIntervalOverForksAndStayAboveZero(@TempDir Path dir) throws IOException {
        RunResults results = twoForks(dir.resolve("run"));
        BenchmarkRow tcp = results.row("tcp", "1080p-i420").orElseThrow();
        assertTrue(tcp.gbps().error() > tcp.gbps().score(), "a symmetric bar would reach below zero: " + tcp.gbps());
        DotChart gbps = (DotChart) chart(RunCharts.charts(results, COST), "gbps.svg");
        DotChart.Dot dot = dotsOf(gbps, "tcp").getFirst();
        assertEquals(tcp.gbps().low(), dot.low(), 0);
        assertEquals(tcp.gbps().high(), dot.high(), 0);
        assertTrue(dot.low() > 0 && dot.hasWhisker(), dot.toString());
        assertTrue(gbps.scale().log(), "the whisker spans more than 10x: a log axis");
        assertTrue(gbps.scale().min() <= dot.low() && gbps.scale().max() >= dot.high(), "the whole whisker is on the axis: " + gbps.scale());
    }

    @Test
    void cpuChartsDrawSenderReceiverAndTotalWithTheirIntervalsInTheSidesColours(@TempDir Path dir) throws IOException {
        RunResults results = twoForks(dir.resolve("run"));
        DotChart cpu = (DotChart) chart(RunCharts.charts(results, COST), "cpu_1080p-i420.svg");
        BenchmarkRow shm = results.row("shm-ffm", "1080p-i420").orElseThrow();
        List<DotChart.Dot> dots = dotsOf(cpu, "shm-ffm");
        assertEquals(List.of(ChartStyle.SENDER, ChartStyle.RECEIVER, ChartStyle.BOTH_SIDES), dots.stream().map(DotChart.Dot::colour).toList());
        assertEquals(shm.cpuSenderSPerGb().low(), dots.get(0).low(), 0);
        assertEquals(shm.cpuReceiverSPerGb().high(), dots.get(1).high(), 0);
        assertEquals(shm.cpuTotalSPerGb().score(), dots.get(2).value(), 0);
        assertTrue(dots.stream().allMatch(DotChart.Dot::hasWhisker), dots.toString());
    }

    @Test
    void ratioChartShowsEachTransportOverTheCeilingWithItsInterval(@TempDir Path dir) throws IOException {
        RunResults results = twoForks(dir.resolve("run"));
        DotChart ratio = (DotChart) chart(RunCharts.charts(results, COST), "ratio.svg");
        BenchmarkRow tcp = results.row("tcp", "1080p-i420").orElseThrow();
        DotChart.Dot dot = dotsOf(ratio, "tcp").getFirst();
        assertEquals(tcp.gbpsOverRuler().score(), dot.value(), 1e-12);
        assertTrue(dot.hasWhisker() && dot.low() > 0, dot.toString());
        assertTrue(dotsOf(ratio, BenchmarkRow.RULER).isEmpty(), "the ruler's own ratio is 1 by definition: not drawn");
    }

    @Test
    void costChartCarriesTheCpuIntervalScaledToDollars(@TempDir Path dir) throws IOException {
        RunResults results = twoForks(dir.resolve("run"));
        DotChart cost = (DotChart) chart(RunCharts.charts(results, COST), "cost.svg");
        BenchmarkRow tcp = results.row("tcp", "1080p-i420").orElseThrow();
        DotChart.Dot dot = dotsOf(cost, "tcp").getFirst();
        assertEquals(COST.usdPerYearForFleet(tcp.cpuTotalSPerGb().score()), dot.value(), 1e-6);
        assertEquals(COST.usdPerYearForFleet(tcp.cpuTotalSPerGb().low()), dot.low(), 1e-6);
    }

    @Test
    void oneForkRunDrawsNoWhiskerAndSaysWhy(@TempDir Path dir) throws IOException {
        RunResults results = JmhJson.read(Fixtures.runFolder(dir.resolve("run"), ReportTest.TWO_FRAMES).resolve("jmh.json"));
        List<RunCharts.Named> charts = RunCharts.charts(results, COST);
        DotChart gbps = (DotChart) chart(charts, "gbps.svg");
        assertTrue(gbps.dots().stream().noneMatch(DotChart.Dot::hasWhisker));
        assertTrue(RunCharts.intervalNote(results).startsWith("1 fork: no interval drawn"), RunCharts.intervalNote(results));
        assertEquals(Set.of("gbps.svg", "ratio.svg", "cpu_1080p-i420.svg", "cpu_1080p-rgba.svg", "cost.svg", "cost_vs_frame.svg"),
                charts.stream().map(RunCharts.Named::fileName).collect(Collectors.toSet()));
    }

    @Test
    void aTransportHasOneColourInEveryChartAndAFrameOneMarker(@TempDir Path dir) throws IOException {
        RunResults results = JmhJson.read(Fixtures.runFolder(dir.resolve("run"), ReportTest.TWO_FRAMES).resolve("jmh.json"));
        List<RunCharts.Named> charts = RunCharts.charts(results, COST);
        Color tcp = new ChartStyle(List.of("tcp")).colourOf("tcp");
        for (String file : List.of("gbps.svg", "ratio.svg", "cost.svg")) {
            DotChart chart = (DotChart) chart(charts, file);
            assertTrue(dotsOf(chart, "tcp").stream().allMatch(d -> d.colour().equals(tcp)), file);
            assertTrue(dotsOf(chart, "tcp").stream().allMatch(d -> d.marker() == ChartStyle.markerOf(d.lane() == 0 ? "1080p-i420" : "1080p-rgba")), file);
        }
        String svg = svg(chart(charts, "cost_vs_frame.svg"));
        assertTrue(svg.contains("stroke=\"" + SvgCanvas.hex(tcp) + "\""), "tcp's line in cost_vs_frame is tcp's colour");
    }

    @Test
    void svgKeepsTextAsTextEscapedAndPngIsAPicture(@TempDir Path dir) throws IOException {
        RunResults results = JmhJson.read(Fixtures.runFolder(dir.resolve("run"), ReportTest.TWO_FRAMES).resolve("jmh.json"));
        List<RunCharts.ChartFile> written = RunCharts.write(dir.resolve("charts"), results, COST, System.err, dir.resolve("png"));
        for (RunCharts.ChartFile file : written) {
            String svg = Files.readString(dir.resolve("charts").resolve(file.fileName()));
            assertTrue(svg.contains(">" + SvgCanvas.escape(file.title()) + "</text>"), file.fileName() + ": its title is text");
            assertFalse(svg.contains("<path"), file.fileName() + ": no glyph outlines");
            byte[] png = Files.readAllBytes(dir.resolve("png").resolve(file.fileName().replace(".svg", ".png")));
            assertEquals(List.of(0x89, (int) 'P', (int) 'N', (int) 'G'), List.of(png[0] & 0xff, (int) png[1], (int) png[2], (int) png[3]), file.fileName());
        }
        assertEquals("a &lt; b &amp; &quot;c&quot;", SvgCanvas.escape("a < b & \"c\""));
    }

    private static String svg(Chart chart) {
        SvgCanvas canvas = new SvgCanvas(chart.width(), chart.height());
        chart.draw(canvas);
        return new String(canvas.bytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
