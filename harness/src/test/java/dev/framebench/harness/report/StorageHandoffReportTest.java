package dev.framebench.harness.report;

import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.metrics.RequestPrices;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.StorageFigures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage hand-offs' table: every process's CPU, the store's requests and their price, on round numbers. */
class StorageHandoffReportTest {
    /** 1080p-i420's payload: 1920 x 1080 x 1.5 bytes. */
    private static final long I420 = 3_110_400;
    private static final RequestPrices PRICES = new RequestPrices(0.005, 0.0004, 0, "test prices");
    private static final CostModel COST = new CostModel(0.05, PRICES);

    @Test
    void requestsAtOneTerabytePerSecondArePutGetAndDeleteOfEveryFrame() {
        double frames = 1e12 / I420;
        assertEquals(3 * frames, PRICES.requestsPerSecondForFleet(I420), 1e-6);
        double usdPerSecond = frames * (0.005 + 0.0004) / 1000;
        assertEquals(usdPerSecond * 3600 * 8766, PRICES.usdPerYearForFleet(I420), 1e-3);
        // About $54.8M a year for requests alone: the seed's "high number of Tier-1 calls".
        assertEquals(54.8e6, PRICES.usdPerYearForFleet(I420), 0.1e6);
    }

    @Test
    void theTableCountsTheStoreInCpuAllAndPricesRequestsOnlyWhereTheyAreMade() {
        BenchmarkRow monolith = row("inproc-copy", 8.0, 0.05, 0.07, StorageFigures.NONE);
        BenchmarkRow files = row("file-handoff", 2.0, 0.30, 0.40, StorageFigures.NONE);
        BenchmarkRow s3 = row("s3-handoff", 0.2, 3.0, 4.0, new StorageFigures(e(5.0), e(12.0), e(300)));
        RunResults results = new RunResults(List.of(monolith, files, s3), List.of());

        assertEquals(12.0, s3.cpuAllSPerGb().score(), 1e-12, "cpu.all where a store ran");
        assertEquals(0.12, monolith.cpuAllSPerGb().score(), 1e-12, "cpu.total where none did");
        assertEquals(0, StorageHandoffReport.requestsUsdPerYear(files, PRICES), "file-handoff makes no requests");
        double s3Total = COST.usdPerYearForFleet(12.0) + PRICES.usdPerYearForFleet(I420);
        assertEquals(s3Total, StorageHandoffReport.totalUsdPerYear(s3, COST), 1e-3);

        String md = StorageHandoffReport.markdown(results, COST, "");
        assertTrue(md.startsWith("## Storage hand-offs and the monolith"), md);
        assertTrue(md.contains("over 90%"), "the seed's figure beside framebench's: " + md);
        assertTrue(md.contains("test prices"), "the prices' source: " + md);
        String change = String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * (COST.usdPerYearForFleet(0.12) / s3Total - 1));
        assertTrue(md.contains("`s3-handoff` -> `inproc-copy`: $/year in all " + change + ", CPU per GB -99.0%"), md);
        assertTrue(md.contains("priced at $0.005 / $0.0004 / $0 per 1,000 PUT / GET / DELETE (test prices)"), md);
        assertTrue(md.contains("| `s3-handoff` | 0.200 (0.200–0.200) |"), md);
        assertTrue(md.contains("| 12.0000 (12.0000–12.0000) | 964,506 | $5,259,600 | $54,787,500 | $60,047,100 |"), md);

        String text = StorageHandoffReport.storeTable(results);
        assertTrue(text.contains("s3-handoff       1080p-i420        5.0000    12.0000          300"), text);
    }

    @Test
    void noStorageHandOffNoSection() {
        RunResults results = new RunResults(List.of(row("inproc-copy", 8.0, 0.05, 0.07, StorageFigures.NONE),
                row("tcp", 2.0, 0.3, 0.3, StorageFigures.NONE)), List.of());
        assertEquals("", StorageHandoffReport.markdown(results, COST, ""));
        assertEquals("", StorageHandoffReport.storeTable(results));
        assertFalse(Summary.table(results).contains("store"));
    }

    @Test
    void withoutS3HandoffTheSectionPricesNoRequests() {
        RunResults results = new RunResults(List.of(row("inproc-copy", 8.0, 0.05, 0.07, StorageFigures.NONE),
                row("file-handoff", 2.0, 0.3, 0.4, StorageFigures.NONE)), List.of());
        String md = StorageHandoffReport.markdown(results, COST, "");
        assertTrue(md.contains("s3-handoff did not run: `scripts/bench.sh --profile storage` adds it."), md);
        assertFalse(md.contains("per 1,000"), md);
        assertTrue(md.contains("`file-handoff` -> `inproc-copy`: $/year in all -82.9%"), md);
    }

    @Test
    void theStoreIsNamedFromTheRunsOptions() {
        assertTrue(StorageHandoffReport.store("").startsWith("S3Proxy started by the receiver on loopback"));
        assertEquals("bucket frames in AWS S3 eu-west-1, region eu-west-1 (its CPU is not measured: it is not a process of this machine)",
                StorageHandoffReport.store("s3.bucket=frames;s3.region=eu-west-1"));
    }

    @Test
    void changesAreSignedPercentages() {
        assertEquals("-90.0%", StorageHandoffReport.change(10, 1));
        assertEquals("+100.0%", StorageHandoffReport.change(1, 2));
        assertEquals("no figure", StorageHandoffReport.change(1, Double.NaN));
    }

    private static BenchmarkRow row(String transport, double gbps, double send, double receive, StorageFigures storage) {
        return new BenchmarkRow(transport, "1080p-i420", "read", e(gbps * 1e9 / (I420 + 64)), e(gbps), e(send), e(receive), e(send + receive),
                e(send + receive), e(200), e(200), Estimate.ABSENT, storage);
    }

    private static Estimate e(double value) {
        return Estimate.fromForks(List.of(value, value, value));
    }
}
