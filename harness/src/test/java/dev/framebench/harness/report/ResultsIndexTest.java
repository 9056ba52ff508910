package dev.framebench.harness.report;

import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.SummaryFiles;
import dev.framebench.harness.run.InstancePrices;
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

/** results/README.md: each headline figure with its interval and forks, and the table across EC2 instance types. */
class ResultsIndexTest {
    private static final String PRICES = """
            # as of: a test's own prices, 2026-12-07
            #
            instance,usd_per_hour,vcpus
            c7g.large,0.0725,2
            c7a.large,0.10264,2
            """;

    /** A reported results folder of the regress fixture (2 forks) measured on EC2 {@code instanceType}, recorded at {@code utc}. */
    private static Path run(Path results, String name, String instanceType, String utc) throws IOException {
        Path run = Fixtures.runFolder(results.resolve(name), RegressTest.BASELINE);
        Files.writeString(run.resolve("env.json"), ReportTest.ENV.replace("c7a.large", instanceType).replace("2026-12-01T21:00:00Z", utc));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, ReportTest.report(new PrintStream(err, true, StandardCharsets.UTF_8), run.toString()), err.toString(StandardCharsets.UTF_8));
        return run;
    }

    private static InstancePrices prices(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(InstancePrices.FILE), PRICES);
        return InstancePrices.load(dir);
    }

    private static List<String> linesOf(String index, String transport) {
        int at = index.indexOf(ResultsIndex.ACROSS_INSTANCES);
        String table = index.substring(at, index.indexOf("\n## ", at + 1));
        return table.lines().filter(l -> l.startsWith("| `" + transport + "` |")).toList();
    }

    @Test
    void twoInstanceTypesGetOneLinePerTransportAndTypePricedAtEachTypesRate(@TempDir Path dir) throws IOException {
        Path results = dir.resolve("results");
        Path graviton = run(results, "2026-12-03T1000Z_c7g.large_ec2", "c7g.large", "2026-12-03T10:00:00Z");
        run(results, "2026-12-02T1000Z_c7a.large_ec2", "c7a.large", "2026-12-02T10:00:00Z");
        Path newerAmd = run(results, "2026-12-04T1000Z_c7a.large_ec2", "c7a.large", "2026-12-04T10:00:00Z");
        String index = ResultsIndex.render(results, prices(dir.resolve("profiles")));

        assertTrue(index.contains(ResultsIndex.ACROSS_INSTANCES), index);
        assertTrue(index.indexOf(ResultsIndex.ACROSS_INSTANCES) < index.indexOf("## [2026-12-04T1000Z"), "the table comes first");
        assertTrue(index.contains("(as of: a test's own prices, 2026-12-07)"), index);
        List<String> tcp = linesOf(index, "tcp");
        assertEquals(2, tcp.size(), "one line per instance type, the newest run of each:\n" + index);
        assertTrue(tcp.stream().anyMatch(l -> l.contains(newerAmd.getFileName().toString())), "c7a.large's newest run");
        assertFalse(index.contains("[2026-12-02T1000Z_c7a.large_ec2](2026-12-02T1000Z_c7a.large_ec2/README.md) |"), "not the older c7a run");

        BenchmarkRow row = SummaryFiles.read(graviton.resolve(SummaryFiles.JSON)).row("tcp", "1080p-i420").orElseThrow();
        double rate = 0.0725 / 2;
        Estimate dollars = row.cpuTotalSPerGb().times(new CostModel(rate).usdPerYearForFleet(1));
        String expected = "| `tcp` | `c7g.large` | " + Markdown.withSpread(row.gbps(), 3) + " | " + Markdown.withSpread(row.cpuTotalSPerGb(), 4)
                + " | $" + rate + " | " + Markdown.withSpread(dollars, 0, "$") + " |";
        assertTrue(tcp.stream().anyMatch(l -> l.startsWith(expected)), expected + "\n" + index);
        assertTrue(expected.contains(" \u00b1"), "2 forks: every figure with its interval: " + expected);
        // The same fixture on both types, the same CPU per GB: the cheaper rate (c7g) comes first.
        assertTrue(tcp.getFirst().contains("`c7g.large`"), tcp.toString());
    }

    @Test
    void oneInstanceTypeGetsNoTable(@TempDir Path dir) throws IOException {
        Path results = dir.resolve("results");
        run(results, "2026-12-03T1000Z_c7g.large_ec2", "c7g.large", "2026-12-03T10:00:00Z");
        run(results, "2026-12-04T1000Z_c7g.large_ec2", "c7g.large", "2026-12-04T10:00:00Z");
        Path offEc2 = run(results, "2026-12-05T1000Z_vm_quick", "c7g.large", "2026-12-05T10:00:00Z");
        Files.writeString(offEc2.resolve("env.json"), ReportTest.ENV.replace("\"ec2\":{\"detected\":true,\"instanceType\":\"c7a.large\",\"region\":\"eu-west-1\"}",
                "\"ec2\":{\"detected\":false}"));
        String index = ResultsIndex.render(results, prices(dir.resolve("profiles")));
        assertFalse(index.contains(ResultsIndex.ACROSS_INSTANCES), index);
        assertTrue(index.contains("| `tcp` | 1080p-i420 | 2 |"), "the headline shows the forks:\n" + index);
        assertTrue(index.contains("\u00b1p%: the 95% interval over forks"), index);
    }

    @Test
    void aTypeMissingFromThePriceFileTakesItsFamilysRateOrTheRunsOwnPrice(@TempDir Path dir) throws IOException {
        Path results = dir.resolve("results");
        run(results, "2026-12-03T1000Z_c7g.xlarge_ec2", "c7g.xlarge", "2026-12-03T10:00:00Z");
        run(results, "2026-12-04T1000Z_z9.large_ec2", "z9.large", "2026-12-04T10:00:00Z");
        String index = ResultsIndex.render(results, prices(dir.resolve("profiles")));
        List<String> tcp = linesOf(index, "tcp");
        assertTrue(tcp.stream().anyMatch(l -> l.contains("`c7g.xlarge` |") && l.contains(" | $0.03625 | ")), "c7g.large's rate per vCPU:\n" + index);
        assertTrue(tcp.stream().anyMatch(l -> l.contains("`z9.large` |") && l.contains(" | $0.05 * | ")), "the profile's price, marked:\n" + index);
        assertTrue(index.contains("\\* not in profiles/instance-prices.csv (z9.large)"), index);
    }
}
