package dev.framebench.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framebench.harness.jmh.MemoryBaseline;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.BaselineRow;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.results.OwnCost;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.SummaryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine's baselines and each row's memory limit, read from a jmh.json fixture (report/limits: five
 * transports at 1080p-i420 with consume=read, 2 forks each, and the memcpy, copy+read and read-only baselines)
 * through to summary.txt, summary.json and the run's README; and framebench's own cost per frame.
 */
class MemoryLimitReportTest {
    private static final String FIXTURE = "report/limits/jmh.json";
    private static final CostModel COST = new CostModel(0.0425);

    private static RunResults fixture() {
        return JmhJson.read(Fixtures.resource(FIXTURE));
    }

    private static BenchmarkRow row(RunResults results, String transport) {
        return results.row(transport, "1080p-i420").orElseThrow();
    }

    @Test
    void readsAllThreeBaselinesWithTheCopiersAndTheReadersBandwidth() {
        List<BaselineRow> baselines = fixture().baselines();
        assertEquals(List.of(MemoryBaseline.MEMCPY, MemoryBaseline.COPY_READ, MemoryBaseline.READ_ONLY),
                baselines.stream().map(BaselineRow::baseline).toList());
        BaselineRow copyRead = baselines.get(1);
        assertEquals(9.0, copyRead.gbps().score(), 0.05, "the copier's bytes are the figure");
        assertEquals(11.0, copyRead.secondGbps().score(), 0.05, "the reader's are the second");
        assertEquals(9.0e9 / 3_110_464, copyRead.framesPerSecond().score(), 20, "frames/s is the copier's, not the group's");
        assertEquals(2, copyRead.gbps().forks());
        assertFalse(baselines.get(2).secondGbps().present());
    }

    @Test
    void eachRowIsHeldToTheLimitItsCopiesAndConsumeModeSay() {
        RunResults results = fixture();
        assertEquals(MemoryBaseline.COPY_READ, row(results, "tcp").limit().baseline());
        assertEquals(MemoryBaseline.COPY_READ, row(results, "shm-ffm").limit().baseline());
        assertEquals(MemoryBaseline.COPY_READ, row(results, "inproc-copy").limit().baseline());
        assertEquals(MemoryBaseline.READ_ONLY, row(results, "inproc-handoff").limit().baseline());
        assertEquals(MemoryBaseline.READ_ONLY, row(results, "null").limit().baseline());
        BenchmarkRow tcp = row(results, "tcp");
        assertEquals(4.7 / 9.0, tcp.limit().ratio().score(), 0.01);
        assertTrue(tcp.limit().ratio().hasInterval(), "2 forks on each side, paired: an interval");
        assertFalse(results.rows().stream().anyMatch(r -> r.limit().aboveLimit()));
    }

    @Test
    void aRunWithoutItsBaselinesHasNoLimits() {
        RunResults results = new RunResults(fixture().rows(), List.of());
        assertTrue(results.rows().stream().noneMatch(r -> r.limit().present()));
        String summary = Summary.table(results);
        assertFalse(summary.contains("ABOVE LIMIT"), summary);
        assertFalse(summary.contains("copy+read-baseline"), summary);
    }

    @Test
    void summaryTxtShowsEachRowsLimitTheBaselinesAndTheOwnCost() {
        String summary = Summary.table(fixture());
        String tcp = summary.lines().filter(l -> l.startsWith("tcp ")).findFirst().orElseThrow();
        assertTrue(tcp.contains(" copy+read ") && tcp.contains(" 9.00 ") && tcp.contains(" 0.52 "), tcp);
        String handoff = summary.lines().filter(l -> l.startsWith("inproc-handoff ")).findFirst().orElseThrow();
        assertTrue(handoff.contains(" read-only ") && handoff.contains(" 15.00 ") && handoff.contains(" 0.80 "), handoff);
        assertTrue(summary.contains("memcpy-baseline "), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("copy+read-baseline ") && l.contains("its reader 11.000 GB/s")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("read-only-baseline ")), summary);
        // null: 0.0716 s/GB x 3,110,464 B; the cheapest copying transport between two processes is shm-ffm (0.251 s/GB), not inproc-copy.
        assertTrue(summary.contains("framebench's own cost: 223 us/frame = 29% of shm-ffm's 781 us/frame (1080p-i420, consume=read: the read included)"), summary);
        assertFalse(summary.contains("ABOVE LIMIT"), summary);
    }

    @Test
    void aRowFasterThanItsLimitIsFlaggedAsAMeasurementBug(@TempDir Path dir) throws IOException {
        Path run = Fixtures.scaled(dir.resolve("run"), FIXTURE, (transport, metric) -> transport.equals("shm-ffm") && metric.equals("gbps") ? 1.3 : 1.0);
        RunResults results = JmhJson.read(run.resolve("jmh.json"));
        assertEquals(List.of("shm-ffm"), results.aboveLimit().stream().map(BenchmarkRow::transport).toList());
        String summary = Summary.table(results);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("ABOVE LIMIT: shm-ffm 1080p-i420 at 10.270 GB/s is 1.14 x its copy+read limit")
                && l.contains("measurement bug")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("shm-ffm ") && l.contains("1.14!")), summary);

        SummaryFiles.write(run, results, COST);
        JsonNode json = Fixtures.MAPPER.readTree(Files.readString(run.resolve(SummaryFiles.JSON)));
        JsonNode shm = rowOf(json, "shm-ffm");
        assertTrue(shm.path("limit").path("aboveLimit").asBoolean(), shm.toString());
        String readme = RunReadme.render("run", null, results, COST, List.of(), "", run);
        assertTrue(readme.contains("**Above its limit:** `shm-ffm`"), readme);
    }

    @Test
    void summaryJsonCarriesLimitsBaselinesAndOwnCostAndReadsBackTheBaselines(@TempDir Path dir) throws IOException {
        RunResults results = fixture();
        SummaryFiles.write(dir, results, COST);
        JsonNode json = Fixtures.MAPPER.readTree(Files.readString(dir.resolve(SummaryFiles.JSON)));
        JsonNode tcp = rowOf(json, "tcp");
        assertEquals(2, tcp.path("copiesPerFrame").asInt());
        assertEquals("copy+read", tcp.path("limit").path("name").asText());
        assertEquals(9.0, tcp.path("limit").path("gbps").path("score").asDouble(), 0.05);
        assertTrue(tcp.path("limit").path("gbpsOverLimit").path("low").isNumber(), tcp.toString());
        assertEquals(List.of("memcpy", "copy+read", "read-only"), json.path("baselines").findValuesAsText("baseline"));
        JsonNode own = json.path("ownCost").path(0);
        assertEquals("shm-ffm", own.path("reference").asText());
        assertEquals(0.286, own.path("share").asDouble(), 0.01);

        RunResults back = SummaryFiles.read(dir.resolve(SummaryFiles.JSON));
        assertEquals(results.baselines().stream().map(BaselineRow::baseline).toList(), back.baselines().stream().map(BaselineRow::baseline).toList());
        assertEquals(MemoryBaseline.COPY_READ, back.row("tcp", "1080p-i420").orElseThrow().limit().baseline());
        assertEquals(11.0, back.baselines().get(1).secondGbps().score(), 0.05);
        String csv = Files.readString(dir.resolve(SummaryFiles.CSV));
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("tcp,") && l.contains(",copy+read,9.0000,0.52")), csv);
    }

    @Test
    void theReadmeShowsLimitsAndOwnCostAndKeepsNullOutOfTheCostTable(@TempDir Path dir) {
        String readme = RunReadme.render("run", null, fixture(), COST, List.of(), "", dir);
        assertTrue(readme.contains("| x limit |"), readme);
        assertTrue(readme.contains("copy+read 9.00"), readme);
        assertTrue(readme.contains("- `read-only`: "), readme);
        assertTrue(readme.contains("framebench's own cost: 223 \u00b5s/frame = 29% of shm-ffm's 781 \u00b5s/frame (1080p-i420, consume=read: the read included)"), readme);
        String cost = RunReadme.costSection(fixture(), COST);
        assertFalse(cost.contains("`null`"), cost);
        assertTrue(cost.contains("`tcp`"), cost);
    }

    @Test
    void ownCostWithoutACopyingTransportBetweenProcessesSaysSo() {
        RunResults results = fixture();
        List<BenchmarkRow> noIpc = results.rows().stream().filter(r -> !r.interProcess() || r.floor()).toList();
        OwnCost own = new RunResults(noIpc, results.baselines()).ownCosts().getFirst();
        assertNull(own.reference());
        assertTrue(own.line("us").startsWith("framebench's own cost: 223 us/frame (1080p-i420, consume=read: the read included; no copying transport"), own.line("us"));
    }

    private static JsonNode rowOf(JsonNode summary, String transport) {
        for (JsonNode row : summary.path("rows")) {
            if (row.path("transport").asText().equals(transport)) {
                return row;
            }
        }
        throw new AssertionError("no row " + transport);
    }
}
