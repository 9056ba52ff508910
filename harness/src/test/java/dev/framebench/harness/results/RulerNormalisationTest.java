package dev.framebench.harness.results;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measurement behind docs/METHOD.md's choice of normalisation, on the published baseline
 * ({@code results/baseline/jmh.json}: nightly profile, 5 interleaved forks): for each figure, the
 * fork-to-fork standard deviation of ln(figure) of every transport, as measured and divided fork by fork by
 * inproc-copy's (fork k of both ran in round k). Dividing by the ruler widens the spread of most transports
 * for every figure, so published figures and their intervals are not normalised; x inproc-copy is shown as
 * a figure of its own, with its own interval. If the baseline is replaced, these counts are measured anew.
 */
class RulerNormalisationTest {
    private static RunResults baseline() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path jmh = p.resolve("results/baseline/jmh.json");
            if (Files.isRegularFile(jmh)) {
                return JmhJson.read(jmh);
            }
        }
        throw new IllegalStateException("no results/baseline/jmh.json above " + Path.of("").toAbsolutePath());
    }

    private static Function<BenchmarkRow, Estimate> figure(String name) {
        return switch (name) {
            case "gbps" -> BenchmarkRow::gbps;
            case "cpu.total" -> BenchmarkRow::cpuTotalSPerGb;
            case "cpu.send" -> BenchmarkRow::cpuSenderSPerGb;
            case "cpu.recv" -> BenchmarkRow::cpuReceiverSPerGb;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static double sdOfLogs(List<Double> values) {
        double[] logs = values.stream().mapToDouble(Math::log).toArray();
        return Math.sqrt(LogInterval.variance(logs, LogInterval.mean(logs)));
    }

    @ParameterizedTest(name = "{0}: the ruler widens {1} of 12")
    @CsvSource({"gbps, 9", "cpu.total, 10", "cpu.send, 10", "cpu.recv, 10"})
    void dividingByTheRulerWidensTheForkSpreadOfMostTransports(String name, int widened) {
        RunResults run = baseline();
        Function<BenchmarkRow, Estimate> of = figure(name);
        List<Double> ruler = of.apply(run.row(BenchmarkRow.RULER, "1080p-i420").orElseThrow()).forkMeans();
        assertEquals(5, ruler.size(), "the baseline has five forks");
        int wider = 0;
        List<Double> raw = new ArrayList<>();
        List<Double> normalised = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (BenchmarkRow row : run.rowsOf("1080p-i420")) {
            if (row.transport().equals(BenchmarkRow.RULER)) {
                continue;
            }
            List<Double> forks = of.apply(row).forkMeans();
            List<Double> ratios = new ArrayList<>();
            for (int k = 0; k < forks.size(); k++) {
                ratios.add(forks.get(k) / ruler.get(k));
            }
            double a = sdOfLogs(forks);
            double b = sdOfLogs(ratios);
            raw.add(a);
            normalised.add(b);
            wider += b > a ? 1 : 0;
            table.append(String.format(Locale.ROOT, "%-16s %5.1f%% %5.1f%%%n", row.transport(), a * 100, b * 100));
        }
        assertEquals(12, raw.size());
        assertEquals(widened, wider, name + ": sd of ln over forks, as measured and over the ruler\n" + table);
        assertTrue(median(normalised) > median(raw), name + "\n" + table);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
