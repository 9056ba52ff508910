package dev.framebench.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.SummaryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a reader of a run sees of its intervals: from forks, in brackets, marked when wide, "1 fork, no interval" without. */
class ForkIntervalReportTest {
    private static final CostModel COST = new CostModel(0.05);

    /** The regress fixture (2 forks x 5 iterations) with tcp's GB/s forks moved far apart: a wide interval. */
    private static Path twoForksTcpWide(Path dir, double spread) throws IOException {
        Path run = Fixtures.runFolder(dir, RegressTest.BASELINE);
        ArrayNode json = (ArrayNode) Fixtures.MAPPER.readTree(Files.readString(run.resolve("jmh.json")));
        for (JsonNode result : json) {
            if (result.path("params").path("transport").asText().equals("tcp")) {
                Fixtures.spreadForks((ObjectNode) result.path("secondaryMetrics").path("gbps"), 1.0, spread);
            }
        }
        Files.writeString(run.resolve("jmh.json"), Fixtures.MAPPER.writeValueAsString(json));
        return run;
    }

    @Test
    void readmeShowsEachFiguresIntervalOverForksAndMarksAWideOne(@TempDir Path dir) throws IOException {
        Path run = twoForksTcpWide(dir.resolve("run"), 30);
        RunResults results = JmhJson.read(run.resolve("jmh.json"));
        BenchmarkRow tcp = results.row("tcp", "1080p-i420").orElseThrow();
        BenchmarkRow shm = results.row("shm-ffm", "1080p-i420").orElseThrow();
        assertTrue(tcp.gbps().wide() && !shm.gbps().wide(), tcp.gbps() + " / " + shm.gbps());
        String readme = RunReadme.render("run", null, results, COST, List.of(), "", run);
        String tcpLine = readme.lines().filter(l -> l.startsWith("| `tcp` |")).findFirst().orElseThrow();
        String shmLine = readme.lines().filter(l -> l.startsWith("| `shm-ffm` |")).findFirst().orElseThrow();
        assertTrue(tcpLine.contains(Markdown.withInterval(tcp.gbps(), 3)) && tcpLine.contains("\u2020"), tcpLine);
        assertTrue(shmLine.contains(" (") && !shmLine.contains("\u2020"), shmLine);
        assertTrue(readme.contains("\u2020 interval wider than \u00b125%"), "the mark's legend\n" + readme);
        assertTrue(readme.contains("| `inproc-copy` |") && readme.contains("1 (ruler)"), readme);
        assertFalse(readme.contains("1 fork, no interval"), readme);
    }

    @Test
    void oneForkRunSaysItHasNoInterval(@TempDir Path dir) throws IOException {
        Path run = Fixtures.runFolder(dir.resolve("run"), ReportTest.TWO_FRAMES);
        RunResults results = JmhJson.read(run.resolve("jmh.json"));
        String readme = RunReadme.render("run", null, results, COST, List.of(), "", run);
        assertTrue(readme.contains("1 fork, no interval"), readme);
        assertFalse(readme.lines().filter(l -> l.startsWith("| `tcp` |")).findFirst().orElseThrow().contains("("), "no brackets: no interval");
        String summary = Summary.table(results);
        assertTrue(summary.lines().filter(l -> l.startsWith("tcp ")).allMatch(l -> l.endsWith("1 fork, no interval")), summary);
    }

    @Test
    void summaryFilesKeepTheForksAndReadThemBack(@TempDir Path dir) throws IOException {
        Path run = twoForksTcpWide(dir.resolve("run"), 30);
        RunResults results = JmhJson.read(run.resolve("jmh.json"));
        SummaryFiles.write(run, results, COST);
        JsonNode tcp = Fixtures.MAPPER.readTree(Files.readString(run.resolve(SummaryFiles.JSON))).path("rows").get(1);
        assertEquals("tcp", tcp.path("transport").asText());
        assertEquals(2, tcp.path("gbps").path("forks").asInt());
        assertEquals(2, tcp.path("gbps").path("forkMeans").size());
        assertTrue(tcp.path("gbpsVsInprocCopyInterval").path("low").asDouble() > 0, tcp.toString());
        RunResults back = SummaryFiles.read(run.resolve(SummaryFiles.JSON));
        BenchmarkRow again = back.row("tcp", "1080p-i420").orElseThrow();
        BenchmarkRow original = results.row("tcp", "1080p-i420").orElseThrow();
        assertEquals(original.gbps().low(), again.gbps().low(), 1e-12);
        assertEquals(original.gbpsOverRuler().high(), again.gbpsOverRuler().high(), 1e-9, "the ratio's interval is recomputed from the kept forks");
        String csv = Files.readString(run.resolve(SummaryFiles.CSV));
        assertTrue(csv.lines().filter(l -> l.startsWith("tcp,")).findFirst().orElseThrow().contains(",2,"), csv);
    }

    @Test
    void throughputChartDrawsARowWhoseIntervalIsWiderThanItsValue(@TempDir Path dir) throws IOException {
        Path run = twoForksTcpWide(dir.resolve("run"), 60);
        BenchmarkRow tcp = JmhJson.read(run.resolve("jmh.json")).row("tcp", "1080p-i420").orElseThrow();
        assertTrue(tcp.gbps().error() > tcp.gbps().score(), "a symmetric bar of this half-width would reach below zero: " + tcp.gbps());
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<RunCharts.ChartFile> charts = RunCharts.write(run.resolve("charts"), JmhJson.read(run.resolve("jmh.json")), COST,
                new PrintStream(warnings, true, StandardCharsets.UTF_8));
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
        assertTrue(charts.stream().anyMatch(c -> c.fileName().equals("gbps.svg")));
        String svg = Files.readString(run.resolve("charts/gbps.svg"));
        // A symmetric error bar would reach below zero here; the interval in log space, on a log axis, does not.
        assertTrue(svg.startsWith("<?xml") && svg.contains(">tcp</text>"), "a drawn SVG");
    }
}
