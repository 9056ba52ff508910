package dev.framebench.harness.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Published figures from their forks: geometric centre, t interval of the logs, never below zero, none from one fork. */
class EstimateTest {
    @Test
    void intervalIsStudentTOverTheForksLogsExponentiated() {
        Estimate e = Estimate.fromForks(List.of(2.0, 2.5, 1.6, 2.2, 1.9));
        double[] logs = {Math.log(2.0), Math.log(2.5), Math.log(1.6), Math.log(2.2), Math.log(1.9)};
        double mean = java.util.Arrays.stream(logs).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(logs).map(l -> (l - mean) * (l - mean)).sum() / 4);
        double h = 2.776445 * sd / Math.sqrt(5);
        assertEquals(Math.exp(mean), e.score(), 1e-12, "the geometric mean of the fork means");
        assertEquals(Math.exp(mean - h), e.low(), 1e-6);
        assertEquals(Math.exp(mean + h), e.high(), 1e-6);
        // The same from SciPy: exp(mean +- t.ppf(0.975, 4) * s / sqrt(5)).
        assertEquals(2.017684, e.score(), 1e-6);
        assertEquals(1.640811, e.low(), 1e-6);
        assertEquals(2.481121, e.high(), 1e-6);
        assertEquals((e.high() - e.low()) / 2, e.error(), 1e-12);
        assertEquals(5, e.forks());
        assertEquals(e.high() / e.score(), e.score() / e.low(), 1e-12, "symmetric in log space");
    }

    @Test
    void intervalFromVeryNoisyForksNeverReachesBelowZero() {
        List<Double> forks = List.of(0.2, 9.0, 3.0);
        Estimate e = Estimate.fromForks(forks);
        double mean = forks.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sd = Math.sqrt(forks.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / 2);
        assertTrue(mean - StudentT.twoSided(0.95, 2) * sd / Math.sqrt(3) < 0, "a linear interval of these forks would reach below zero");
        assertTrue(e.low() > 0, "the log-space one does not: " + e);
        assertTrue(e.wide(), "and it is marked as too wide to rank on");
    }

    @Test
    void oneForkHasNoIntervalRatherThanAnInventedOne() {
        Estimate e = Estimate.fromForks(List.of(3.5));
        assertEquals(3.5, e.score());
        assertTrue(Double.isNaN(e.error()));
        assertFalse(e.hasInterval());
        assertFalse(e.wide());
        assertEquals(3.5, e.low());
        assertEquals(3.5, e.high());
        assertEquals(1, e.forks());
    }

    @Test
    void valuesWithoutALogarithmGiveTheirMeanAndNoInterval() {
        Estimate e = Estimate.fromForks(List.of(0.0, 0.0, 0.0));
        assertEquals(0.0, e.score());
        assertFalse(e.hasInterval());
    }

    @Test
    void ratioOfForksThatPairIsTheIntervalOfTheirLogRatios() {
        Estimate row = Estimate.fromForks(List.of(2.0, 4.0, 3.0));
        // The ruler moved with the row, fork by fork: the ratio is the same in every fork, so its interval has no width.
        Estimate ruler = Estimate.fromForks(List.of(10.0, 20.0, 15.0));
        Estimate ratio = row.perForkRatio(ruler);
        assertEquals(0.2, ratio.score(), 1e-12);
        assertEquals(0.2, ratio.low(), 1e-12);
        assertEquals(0.2, ratio.high(), 1e-12);
        assertEquals(List.of(0.2, 0.2, 0.2), ratio.forkMeans().stream().map(v -> Math.round(v * 1e12) / 1e12).toList());
        assertTrue(row.hasInterval() && row.spread() > 0.3, "while each figure alone is noisy: " + row);
    }

    @Test
    void ratioOfForksThatDoNotPairIsWelchsInterval() {
        Estimate ruler = Estimate.fromForks(List.of(10.0, 11.0, 9.5, 10.4));
        Estimate row = Estimate.fromForks(List.of(5.2, 4.9, 5.6));
        Estimate ratio = row.perForkRatio(ruler);
        // SciPy: Welch-Satterthwaite df = 4.2336, exp(mean(ln b) - mean(ln a) +- t.ppf(0.975, df) * se).
        assertEquals(0.511790, ratio.score(), 1e-6);
        assertEquals(0.447364, ratio.low(), 1e-6);
        assertEquals(0.585494, ratio.high(), 1e-6);
        LogInterval welch = LogInterval.welch(LogInterval.logs(new double[] {10.0, 11.0, 9.5, 10.4}), LogInterval.logs(new double[] {5.2, 4.9, 5.6}), 0.95);
        assertEquals(4.233600, welch.degreesOfFreedom(), 1e-6);
    }

    @Test
    void ratioWithOneForkOnASideHasNoInterval() {
        Estimate ratio = Estimate.fromForks(List.of(2.0)).perForkRatio(Estimate.fromForks(List.of(10.0, 11.0)));
        assertEquals(2.0 / Math.sqrt(110), ratio.score(), 1e-12);
        assertFalse(ratio.hasInterval());
    }

    @Test
    void jmhJsonFiguresComeFromTheForksOfItsRawData(@TempDir Path dir) throws IOException {
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, """
                [{"benchmark": "dev.framebench.harness.jmh.FrameThroughputBenchmark.receiveFrame", "forks": 3,
                  "params": {"transport": "tcp", "frame": "1080p-i420", "consume": "read"},
                  "primaryMetric": {"score": 1000.0, "scoreError": 5.0, "scoreConfidence": [995.0, 1005.0],
                                    "rawData": [[900.0, 1100.0], [1000.0, 1000.0], [1050.0, 950.0]]},
                  "secondaryMetrics": {
                    "gbps": {"score": 3.0, "scoreError": 0.01, "scoreConfidence": [2.99, 3.01], "rawData": [[1.0, 1.2], [2.0, 2.2], [4.0, 4.4]]},
                    "cpu.total.sPerGB": {"score": 0.5, "scoreError": "NaN", "rawData": [[0.5], [0.5], [0.5]]},
                    "rss.sender.MB": {"score": 300.0, "scoreError": "NaN", "rawData": [[250.0], [300.0], [280.0]]}}},
                 {"benchmark": "dev.framebench.harness.jmh.FrameThroughputBenchmark.receiveFrame", "forks": 1,
                  "params": {"transport": "inproc-copy", "frame": "1080p-i420", "consume": "read"},
                  "primaryMetric": {"score": 4000.0, "scoreError": 100.0, "scoreConfidence": [3900.0, 4100.0], "rawData": [[3900.0, 4100.0]]},
                  "secondaryMetrics": {"gbps": {"score": 12.4, "scoreError": 0.3, "scoreConfidence": [12.1, 12.7], "rawData": [[12.1, 12.7]]}}}]
                """);
        RunResults run = JmhJson.read(jmh);
        BenchmarkRow tcp = run.row("tcp", "1080p-i420").orElseThrow();
        assertEquals(List.of(1.1, 2.1, 4.2), tcp.gbps().forkMeans().stream().map(v -> Math.round(v * 1e9) / 1e9).toList());
        assertEquals(Math.cbrt(1.1 * 2.1 * 4.2), tcp.gbps().score(), 1e-12, "geometric mean of the fork means, not JMH's score");
        assertTrue(tcp.gbps().error() > 0.5, "forks apart by 4x: a wide interval, not JMH's pooled 0.01: " + tcp.gbps());
        assertEquals(0.0, tcp.cpuTotalSPerGb().error(), 1e-15, "identical forks: a zero-width interval");
        assertEquals(300.0, tcp.rssSenderMb().score(), "a peak stays JMH's maximum");
        assertFalse(tcp.rssSenderMb().hasInterval());
        assertEquals(1000.0, tcp.framesPerSecond().score(), 1e-9);

        BenchmarkRow ruler = run.row("inproc-copy", "1080p-i420").orElseThrow();
        assertEquals(12.4, ruler.gbps().score(), 1e-12);
        assertFalse(ruler.gbps().hasInterval(), "one fork: JMH's interval over its iterations is not taken");
        assertEquals(1, ruler.gbps().forks());
        assertEquals(tcp.gbps().score() / 12.4, tcp.gbpsVsInprocCopy(), 1e-12);
        assertFalse(tcp.gbpsOverRuler().hasInterval(), "the ruler had one fork");
    }
}
