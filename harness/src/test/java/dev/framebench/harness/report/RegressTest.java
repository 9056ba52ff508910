package dev.framebench.harness.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.cli.RegressCommand;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.SummaryFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.cli.Main;
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

/** framebench regress on fixtures derived from a real run (src/test/resources/regress/README.md). */
class RegressTest {
    static final String BASELINE = "regress/baseline/jmh.json";

    record Outcome(int status, String out, String err) {
    }

    static Outcome regress(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = new String[args.length + 1];
        argv[0] = "regress";
        System.arraycopy(args, 0, argv, 1, args.length);
        int status = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void thirtyPercentDropOfOneTransportIsARegressionNamingIt(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        // tcp moves 30% fewer frames for the same CPU seconds: GB/s down 30%, s/GB up by 1/0.7.
        Path current = Fixtures.scaled(dir.resolve("current"), BASELINE, (transport, metric) -> !transport.equals("tcp") ? 1.0
                : metric.equals("primaryMetric") || metric.equals("gbps") ? 0.7 : metric.startsWith("cpu.") ? 1 / 0.7 : 1.0);
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("REGRESSION in 2 figure(s): tcp 1080p-i420 gbps, tcp 1080p-i420 cpu.total.sPerGB"), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("tcp ") && l.contains("gbps") && l.contains("-30.0%") && l.contains("worse")
                && l.endsWith("regression")), o.out());
        assertTrue(o.out().lines().filter(l -> l.startsWith("shm-ffm ") || l.startsWith("ws-netty ")).allMatch(l -> l.endsWith("unchanged")), o.out());
    }

    @Test
    void aTransportMissingFromTheCurrentRunFailsToCompareNamingIt(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path current = Fixtures.runFolder(dir.resolve("current"), BASELINE);
        ArrayNode results = (ArrayNode) Fixtures.MAPPER.readTree(current.resolve("jmh.json").toFile());
        for (int i = results.size() - 1; i >= 0; i--) {
            if ("tcp".equals(results.get(i).path("params").path("transport").asText())) {
                results.remove(i);
            }
        }
        Fixtures.MAPPER.writeValue(current.resolve("jmh.json").toFile(), results);
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("framebench: cannot compare: ") && o.err().contains("tcp 1080p-i420 (no row)"), o.err());
        assertEquals("", o.out(), "no table: a missing row is not a pass");
    }

    @Test
    void aNullScoreFailsToCompareNamingTheFigure(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path current = Fixtures.runFolder(dir.resolve("current"), BASELINE);
        ArrayNode results = (ArrayNode) Fixtures.MAPPER.readTree(current.resolve("jmh.json").toFile());
        for (JsonNode r : results) {
            if ("shm-ffm".equals(r.path("params").path("transport").asText())) {
                // A figure the run did not record: JMH writes no score and no raw data for it.
                ((ObjectNode) r.path("secondaryMetrics")).putNull("gbps");
            }
        }
        Fixtures.MAPPER.writeValue(current.resolve("jmh.json").toFile(), results);
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(2, o.status(), o.out() + o.err());
        assertTrue(o.err().contains("shm-ffm 1080p-i420 (no gbps)"), o.err());
    }

    @Test
    void threePercentWobbleIsNoRegression(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        // Every transport a little worse, the ruler a little better: ~6% on the normalised figures, under 10%.
        Path current = Fixtures.scaled(dir.resolve("current"), BASELINE, (transport, metric) -> transport.equals("inproc-copy")
                ? (metric.startsWith("cpu.") ? 0.97 : 1.03) : (metric.startsWith("cpu.") ? 1.03 : 0.97));
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("no regression beyond 10%"), o.out());
    }

    @Test
    void uniformlyTwiceAsSlowMachineIsNoRegression(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path current = Fixtures.scaled(dir.resolve("current"), BASELINE, (transport, metric) ->
                metric.equals("primaryMetric") || metric.equals("gbps") || metric.equals("bytes") ? 0.5 : metric.startsWith("cpu.") ? 2.0 : 1.0);
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().lines().filter(l -> l.startsWith("tcp ")).allMatch(l -> l.contains("+0.0%") || l.contains("-0.0%")), o.out());
    }

    @Test
    void changeBeyondThresholdInsideTheNoiseIsNotFlagged(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        // 12% slower but with forks four times as far apart: the intervals (from the forks) overlap.
        Path current = Fixtures.scaled(dir.resolve("current"), BASELINE, (transport, metric) -> 1.0);
        JsonNode json = Fixtures.MAPPER.readTree(Files.readString(current.resolve("jmh.json")));
        for (JsonNode result : json) {
            if (result.path("params").path("transport").asText().equals("tcp")) {
                Fixtures.spreadForks((com.fasterxml.jackson.databind.node.ObjectNode) result.path("secondaryMetrics").path("gbps"), 0.88, 4);
            }
        }
        Files.writeString(current.resolve("jmh.json"), json.toString());
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("tcp ") && l.contains("gbps") && l.endsWith("within noise")), o.out());
        assertEquals(0, regress(baseline.toString(), current.toString(), "--threshold", "5%").status(),
                "a lower threshold does not make overlapping intervals a regression");
    }

    /**
     * Moves tcp's figure to just beyond and just inside the flags-at value the comparison reported for the
     * unchanged runs; scaling a run keeps its intervals' relative width, so the value holds for the moved run.
     * At 1% the intervals set it, at 50% the threshold does: both branches are checked.
     */
    @Test
    void eachRowSaysTheSmallestChangeItWouldFlag(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        RunResults runs = RegressCommand.load(baseline);
        int n = 0;
        for (double threshold : new double[] {0.01, 0.50}) {
            for (Regression.Figure figure : Regression.Figure.values()) {
                Regression.Change unchanged = change(Regression.compare(runs, runs, threshold), "tcp", figure);
                double flaggedAt = unchanged.flaggedAtPercent();
                String what = "tcp " + figure.jsonName + " at threshold " + threshold + ", flags at " + flaggedAt + "%";
                assertTrue(figure.biggerIsBetter ? flaggedAt < 0 : flaggedAt > 0, what + ": the worse direction");
                if (threshold == 0.01) {
                    assertTrue(Math.abs(flaggedAt) > 1, what + ": at 1% the intervals, not the threshold, decide");
                } else {
                    assertEquals(figure.biggerIsBetter ? -50.0 : 50.0, flaggedAt, 1e-9, what + ": at 50% the threshold decides");
                }
                for (double side : new double[] {1.001, 0.999}) {
                    double factor = 1 + flaggedAt / 100 * side;
                    Path current = Fixtures.scaled(dir.resolve("current-" + n++), BASELINE, (transport, metric) ->
                            transport.equals("tcp") && metric.equals(figure.jsonName) ? factor : 1.0);
                    Outcome o = regress(baseline.toString(), current.toString(), "--threshold", threshold * 100 + "%");
                    String line = o.out().lines().filter(l -> l.startsWith("tcp ") && l.contains(" " + figure.jsonName + " ")).findFirst()
                            .orElseThrow(() -> new AssertionError(what + ": no row in\n" + o.out()));
                    assertTrue(line.contains(RegressCommand.flagsAt(flaggedAt)), what + ": the row shows it\n" + line);
                    if (side > 1) {
                        assertEquals(1, o.status(), what + ": a change of " + (factor - 1) * 100 + "% is beyond it\n" + o.out());
                        assertTrue(line.endsWith(" regression"), what + "\n" + line);
                    } else {
                        assertEquals(0, o.status(), what + ": a change of " + (factor - 1) * 100 + "% is inside it\n" + o.out());
                        assertFalse(line.endsWith(" regression"), what + "\n" + line);
                    }
                }
            }
        }
    }

    /** Row and ruler come from different forks: their errors are independent and add as a quotient's do, in quadrature. */
    @Test
    void aRulersNoiseWidensTheNormalisedIntervalInQuadrature() {
        Estimate row = Estimate.of(2.0, 0.12, 1.88, 2.12);
        Estimate ruler = Estimate.of(10.0, 0.8, 9.2, 10.8);
        Estimate normalised = row.over(ruler);
        assertEquals(0.2, normalised.score(), 1e-12);
        assertEquals(0.2 * 0.10, normalised.error(), 1e-12, "6% and 8% make 10%");
        assertEquals(0.18, normalised.low(), 1e-12);
        assertEquals(0.22, normalised.high(), 1e-12);
        Estimate exact = Estimate.of(10.0, Double.NaN, Double.NaN, Double.NaN);
        assertEquals(0.2 * 0.06, row.over(exact).error(), 1e-12, "a ruler without an interval adds nothing");
    }

    private static Regression.Change change(List<Regression.Change> changes, String transport, Regression.Figure figure) {
        return changes.stream().filter(c -> c.transport().equals(transport) && c.figure() == figure).findFirst()
                .orElseThrow(() -> new AssertionError("no " + transport + " " + figure.jsonName + " in " + changes));
    }

    private static final String NOTE = "[framebench] note: the runs come from different machines (";

    @Test
    void runsFromDifferentMachinesAreNoted(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path current = Fixtures.runFolder(dir.resolve("current"), BASELINE);
        Fixtures.env(baseline, "AMD EPYC", 2, "m6a.large");
        ObjectNode now = Fixtures.env(current, "Intel(R) Xeon(R) Processor", 4, "c7i.xlarge");
        ((ObjectNode) now.path("jdk")).put("version", "26-ea+1");
        Fixtures.writeEnv(current, now);
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(0, o.status(), "a note does not fail the job\n" + o.out() + o.err());
        List<String> notes = o.out().lines().filter(l -> l.startsWith(NOTE)).toList();
        assertEquals(1, notes.size(), o.out());
        assertEquals(NOTE + "CPU AMD EPYC in the baseline, Intel(R) Xeon(R) Processor now; logical cores 2 in the baseline, 4 now; "
                + "EC2 instance type m6a.large in the baseline, c7i.xlarge now; JDK " + System.getProperty("java.runtime.version")
                + " in the baseline, 26-ea+1 now): a change may be the machine's, not the code's; make the baseline on the machine "
                + "that runs the nightly job", notes.getFirst());
        assertTrue(o.out().startsWith(notes.getFirst() + "\ntransport "), "the note comes before the table\n" + o.out());
        assertTrue(o.err().isEmpty(), o.err());
    }

    @Test
    void sameMachineOrUnknownMachineGivesNoNote(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path current = Fixtures.runFolder(dir.resolve("current"), BASELINE);
        Path noEnv = Fixtures.runFolder(dir.resolve("no-env"), BASELINE);
        Path broken = Fixtures.runFolder(dir.resolve("broken"), BASELINE);
        Path offEc2 = Fixtures.runFolder(dir.resolve("off-ec2"), BASELINE);
        Fixtures.env(baseline, "AMD EPYC", 2, "m6a.large");
        Fixtures.env(current, "AMD EPYC", 2, "m6a.large");
        Files.writeString(broken.resolve("env.json"), "{ not json");
        Fixtures.env(offEc2, "AMD EPYC", 2, null);
        for (Path other : List.of(current, noEnv, broken, offEc2)) {
            Outcome o = regress(baseline.toString(), other.toString());
            assertEquals(0, o.status(), other + "\n" + o.out() + o.err());
            assertFalse(o.out().contains("note:"), other + ": identical, missing or unreadable env.json, or a key only one side has, is no note\n" + o.out());
            assertTrue(o.err().isEmpty(), other + ": " + o.err());
        }
    }

    @Test
    void helpPrintsAndSaysWhatFlagsAtAndTheNoteMean() {
        Outcome o = regress("--help");
        assertEquals(0, o.status(), o.err());
        assertEquals(RegressCommand.HELP, o.out(), "printed as written, not as a format string");
        assertTrue(o.out().contains("\"flags at\" is the smallest"), o.out());
        assertTrue(o.out().contains("A note before the table"), o.out());
    }

    @Test
    void writesGithubActionBenchmarkJson(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path current = Fixtures.runFolder(dir.resolve("current"), BASELINE);
        Path out = dir.resolve("bench-json");
        assertEquals(0, regress(baseline.toString(), current.toString(), "--bench-json", out.toString()).status());
        JsonNode bigger = Fixtures.MAPPER.readTree(Files.readString(out.resolve(BenchmarkActionJson.BIGGER)));
        JsonNode smaller = Fixtures.MAPPER.readTree(Files.readString(out.resolve(BenchmarkActionJson.SMALLER)));
        assertTrue(bigger.isArray() && smaller.isArray());
        JsonNode tcp = find(bigger, "tcp 1080p-i420 gbps");
        assertEquals("GB/s", tcp.path("unit").asText());
        assertTrue(tcp.path("value").asDouble() > 0);
        assertTrue(tcp.path("range").asText().startsWith("± "), tcp.toString());
        assertTrue(find(bigger, "tcp 1080p-i420 gbps/inproc-copy").path("value").asDouble() < 1);
        assertEquals("s/GB", find(smaller, "tcp 1080p-i420 cpu.total.sPerGB").path("unit").asText());
        assertFalse(Files.exists(current.resolve(BenchmarkActionJson.BIGGER)), "written where asked, not into the run");
    }

    private static JsonNode find(JsonNode entries, String name) {
        for (JsonNode e : entries) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no entry " + name + " in " + entries);
    }

    @Test
    void readsSummaryJsonWhereTheReportWroteOne(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        SummaryFiles.write(baseline, JmhJson.read(baseline.resolve("jmh.json")), new CostModel(0.05));
        Files.delete(baseline.resolve("jmh.json"));
        Path current = Fixtures.scaled(dir.resolve("current"), BASELINE, (transport, metric) ->
                transport.equals("shm-ffm") && metric.equals("gbps") ? 0.7 : 1.0);
        Outcome o = regress(baseline.toString(), current.toString());
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("REGRESSION in 1 figure(s): shm-ffm 1080p-i420 gbps"), o.out());
    }

    @Test
    void missingResultsAreUnusableInputWithOneLine(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Outcome o = regress(baseline.toString(), empty.toString());
        assertEquals(2, o.status());
        assertEquals("framebench: no results in " + empty + " (neither summary.json nor jmh.json); give a results folder", o.err().trim());
        assertEquals(2, regress(baseline.toString()).status());
    }

    @Test
    void runsWithNoCommonRowsAreUnusableInput(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("jmh.json"), Files.readString(baseline.resolve("jmh.json")).replace("\"1080p-i420\"", "\"720p-i420\""));
        Outcome o = regress(baseline.toString(), other.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("framebench: no common rows to compare: "), o.err());
        assertEquals(1, o.err().lines().count());
    }

    @Test
    void badThresholdIsUnusableInput(@TempDir Path dir) throws IOException {
        Path baseline = Fixtures.runFolder(dir.resolve("baseline"), BASELINE);
        Outcome o = regress(baseline.toString(), baseline.toString(), "--threshold", "ten");
        assertEquals(2, o.status());
        assertEquals("framebench: bad --threshold 'ten'; allowed: a percentage above 0, e.g. 10%", o.err().trim());
    }
}
