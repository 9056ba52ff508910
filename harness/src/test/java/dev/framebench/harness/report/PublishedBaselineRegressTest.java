package dev.framebench.harness.report;

import dev.framebench.harness.cli.RegressCommand;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.SummaryFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * framebench regress against the baseline the nightly job really uses, {@code results/baseline/} of this
 * checkout, with the other side made from it: one transport cut, every figure wobbled, the whole machine
 * halved. The cuts are checked against each row's own "flags at" value, since that baseline's error bars (a
 * shared 2-core VM) set how small a change it can catch: a 30% cut is caught for few transports, if any.
 */
class PublishedBaselineRegressTest {
    private static final double THRESHOLD = 0.10;
    private static final double CUT = 0.7;

    @TempDir
    static Path dir;
    static Path baseline;
    static List<Regression.Change> unchanged;

    record Outcome(int status, String out, String err) {
        List<String> rowsOf(String transport) {
            return out.lines().filter(l -> l.startsWith(transport + " ")).toList();
        }

        /** The transports of every row whose verdict is regression. */
        List<String> flagged() {
            return out.lines().filter(l -> l.endsWith(" regression")).map(l -> l.substring(0, l.indexOf(' '))).distinct().toList();
        }
    }

    /** The checkout's root, found upwards from the working directory (surefire runs in harness/). */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("results/baseline")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no framebench checkout with results/baseline above " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    static void copyPublishedBaseline() throws IOException {
        Path published = repoRoot().resolve("results/baseline");
        assertTrue(Files.isRegularFile(published.resolve(SummaryFiles.JSON)), "the published baseline has no summary.json: " + published);
        // An unchanged copy of every file, jmh.json included: what the nightly job compares against.
        baseline = Files.createDirectories(dir.resolve("baseline"));
        try (var files = Files.list(published)) {
            for (Path file : files.toList()) {
                Files.copy(file, baseline.resolve(file.getFileName()));
            }
        }
        RunResults runs = RegressCommand.load(baseline);
        unchanged = Regression.compare(runs, runs, THRESHOLD);
    }

    static List<String> transports() {
        Path summary = repoRoot().resolve("results/baseline").resolve(SummaryFiles.JSON);
        return SummaryFiles.read(summary).transports().stream().filter(t -> !t.equals(BenchmarkRow.RULER)).toList();
    }

    static Outcome regress(Path current) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RegressCommand.run(new String[] {baseline.toString(), current.toString(), "--bench-json", current.resolve("bench").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static boolean isGbps(String figure) {
        return figure.equals("gbps") || figure.equals("framesPerSecond");
    }

    private static boolean isCpu(String figure) {
        return figure.startsWith("cpu.");
    }

    /** The same work done at this factor of the throughput: GB/s and frames/s times it, CPU s/GB over it. */
    private static double slower(double throughput, String figure) {
        return isGbps(figure) ? throughput : isCpu(figure) ? 1 / throughput : 1.0;
    }

    private static Regression.Change unchanged(String transport, Regression.Figure figure) {
        return unchanged.stream().filter(c -> c.transport().equals(transport) && c.figure() == figure).findFirst()
                .orElseThrow(() -> new AssertionError("the published baseline has no " + transport + " " + figure.jsonName));
    }

    /**
     * A 30% cut: each of the transport's two figures is flagged exactly when -30% (GB/s) or +42.9%
     * (s/GB) is beyond the flags-at value of its row, and no other transport is flagged.
     */
    @ParameterizedTest(name = "{0} 30% slower")
    @MethodSource("transports")
    void thirtyPercentCutIsFlaggedWhereItIsBeyondTheRowsFlagsAt(String transport) throws IOException {
        Path cut = Fixtures.scaledSummary(baseline, dir.resolve("cut30-" + transport), (t, figure) -> t.equals(transport) ? slower(CUT, figure) : 1.0);
        Outcome o = regress(cut);
        boolean anyFlagged = false;
        for (Regression.Figure figure : Regression.Figure.values()) {
            double change = (figure.biggerIsBetter ? CUT - 1 : 1 / CUT - 1) * 100;
            double flaggedAt = unchanged(transport, figure).flaggedAtPercent();
            boolean beyond = Math.abs(change) > Math.abs(flaggedAt);
            anyFlagged |= beyond;
            String line = o.rowsOf(transport).stream().filter(l -> l.contains(" " + figure.jsonName + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(transport + " " + figure.jsonName + ": no row in\n" + o.out()));
            String what = String.format(Locale.ROOT, "%s %s changed %+.1f%%, flags at %+.1f%%: ", transport, figure.jsonName, change, flaggedAt);
            assertTrue(line.endsWith(beyond ? " regression" : " within noise"), what + "expected " + (beyond ? "regression" : "within noise")
                    + "\n" + line);
        }
        assertEquals(anyFlagged ? 1 : 0, o.status(), transport + "\n" + o.out() + o.err());
        assertEquals(anyFlagged ? List.of(transport) : List.of(), o.flagged(), "only the cut transport may be flagged\n" + o.out());
    }

    /** A cut just beyond both of the transport's flags-at values is a regression naming it, and it alone. */
    @ParameterizedTest(name = "{0} just beyond its flags-at")
    @MethodSource("transports")
    void cutBeyondTheRowsFlagsAtIsARegressionNamingOnlyThatTransport(String transport) throws IOException {
        double gbpsFactor = 1 + unchanged(transport, Regression.Figure.GBPS).flaggedAtPercent() / 100 * 1.01;
        double cpuFactor = 1 + unchanged(transport, Regression.Figure.CPU_TOTAL).flaggedAtPercent() / 100 * 1.01;
        Path cut = Fixtures.scaledSummary(baseline, dir.resolve("cut-" + transport), (t, figure) -> !t.equals(transport) ? 1.0
                : isGbps(figure) ? gbpsFactor : isCpu(figure) ? cpuFactor : 1.0);
        Outcome o = regress(cut);
        assertEquals(1, o.status(), transport + " GB/s x" + gbpsFactor + ", s/GB x" + cpuFactor + "\n" + o.out() + o.err());
        assertEquals(List.of(transport), o.flagged(), "only the cut transport is flagged\n" + o.out());
        String named = o.out().lines().filter(l -> l.startsWith("[framebench] REGRESSION in ")).findFirst()
                .orElseThrow(() -> new AssertionError("no REGRESSION line\n" + o.out()));
        String everyFigure = String.join(", ", unchanged.stream().filter(c -> c.transport().equals(transport))
                .map(c -> transport + " " + c.frame() + " " + c.figure().jsonName).toList());
        assertTrue(named.endsWith(": " + everyFigure), "expected " + everyFigure + "\n" + named);
    }

    @Test
    void threePercentWobbleOfEveryFigureIsNoRegression() throws IOException {
        List<String> all = transports();
        // The ruler 3% faster, the transports in turn 3% faster and 3% slower: half the rows about 6% worse
        // after normalising (0.97 / 1.03), under the 10% threshold.
        Path wobbled = Fixtures.scaledSummary(baseline, dir.resolve("wobble"), (t, figure) ->
                slower(t.equals(BenchmarkRow.RULER) || all.indexOf(t) % 2 == 0 ? 1.03 : 0.97, figure));
        Outcome o = regress(wobbled);
        assertEquals(0, o.status(), o.out() + o.err());
        assertEquals(List.of(), o.flagged(), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.contains(" gbps ") && l.contains("-5.8%") && l.contains(" worse ")), "the wobble reached GB/s\n" + o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.contains(" cpu.total.sPerGB ") && l.contains("+6.2%") && l.contains(" worse ")),
                "the wobble reached s/GB\n" + o.out());
    }

    @Test
    void wholeMachineTwiceAsSlowIsNoRegression() throws IOException {
        Path halved = Fixtures.scaledSummary(baseline, dir.resolve("halved"), (t, figure) -> slower(0.5, figure));
        Outcome o = regress(halved);
        assertEquals(0, o.status(), o.out() + o.err());
        assertEquals(List.of(), o.flagged(), o.out());
        for (String transport : transports()) {
            assertFalse(o.rowsOf(transport).isEmpty(), transport + " was compared\n" + o.out());
            assertTrue(o.rowsOf(transport).stream().allMatch(l -> l.endsWith(" unchanged")), transport + "\n" + o.out());
        }
        assertFalse(o.out().contains("note:"), "the same env.json on both sides is no machine note\n" + o.out());
    }
}
