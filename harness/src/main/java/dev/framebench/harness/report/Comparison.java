package dev.framebench.harness.report;

import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.StorageFigures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Two builds measured in the same rounds, compared figure by figure ({@link PairedComparison}): what
 * {@code scripts/compare.sh} reports. The figures are GB/s and the CPU seconds per GB of both sides, each,
 * and of the sender and the receiver: the throughput a transport reaches and what it costs.
 */
public final class Comparison {
    /** The figures compared, by their one definition. */
    public static final List<Metric> FIGURES = List.of(Metric.GBPS, Metric.CPU_TOTAL, Metric.CPU_SENDER, Metric.CPU_RECEIVER);

    /**
     * One benchmark (transport x frame) in every round of both builds; a round's entry is null where that
     * build's run failed.
     */
    public record Rounds(String transport, String frame, BenchmarkRow[] base, BenchmarkRow[] head) {
        public Rounds {
            if (base.length != head.length) {
                throw new IllegalArgumentException("one entry per round for each build: base=" + base.length + " head=" + head.length);
            }
        }
    }

    /**
     * One figure of one benchmark: every round's value of each build (NaN where it failed) and the comparison.
     *
     * @param confirmation the same figure compared over the confirmation rounds alone, where the rounds flagged
     *                     it ({@link #confirm}); null where no confirmation ran
     */
    public record Row(String transport, String frame, Metric figure, double[] base, double[] head, PairedComparison.Result result,
                      PairedComparison.Result confirmation) {
        public Row(String transport, String frame, Metric figure, double[] base, double[] head, PairedComparison.Result result) {
            this(transport, frame, figure, base, head, result, null);
        }

        public String name() {
            return transport + " " + frame + " " + figure.key();
        }

        /** Geometric mean of one build's rounds, for the table. */
        public static double centre(double[] rounds) {
            double[] present = Arrays.stream(rounds).filter(v -> v > 0 && Double.isFinite(v)).toArray();
            return present.length == 0 ? Double.NaN : Math.exp(Arrays.stream(present).map(Math::log).average().orElse(Double.NaN));
        }
    }

    private Comparison() {
    }

    public static List<Row> compare(List<Rounds> benchmarks, double confidence, double threshold) {
        List<Row> rows = new ArrayList<>();
        for (Rounds b : benchmarks) {
            for (Metric figure : FIGURES) {
                double[] base = values(b.base(), figure);
                double[] head = values(b.head(), figure);
                rows.add(new Row(b.transport(), b.frame(), figure, base, head,
                        PairedComparison.compare(base, head, figure.higherIsBetter(), confidence, threshold)));
            }
        }
        return rows;
    }

    /**
     * The benchmarks whose rounds flagged a regression in any figure: what a confirmation runs again. A benchmark
     * head ran in no round is not among them: a build that cannot run it is no noise to rule out.
     */
    public static List<Rounds> suspects(List<Rounds> benchmarks, List<Row> rows) {
        return benchmarks.stream()
                .filter(b -> rows.stream().anyMatch(r -> r.result().verdict() == PairedComparison.Verdict.REGRESSION
                        && r.transport().equals(b.transport()) && r.frame().equals(b.frame())))
                .toList();
    }

    /**
     * The rows once the suspects ran again: a regression stands only where the confirmation rounds, compared
     * on their own, flag the same figure again (or head failed every confirmation round); otherwise it is
     * {@link PairedComparison.Verdict#NOT_CONFIRMED}.
     *
     * <p>Why: each row alone is flagged falsely with probability at most (1 - confidence) / 2, but a run
     * compares dozens of rows (13 transports x 4 figures), so without a second look a run of identical builds
     * flags one now and then, and a nightly job that cries wolf is not read. The confirmation rounds are new,
     * independent data, so a false flag must happen twice: at most ((1 - confidence) / 2)^2 per row, about 3% for
     * a run of 52 rows at 95%, while a real change is flagged again. The rounds that selected a row are not
     * reused to judge it: that would count the selecting noise twice.
     */
    public static List<Row> confirm(List<Row> rows, List<Rounds> confirmation, double confidence, double threshold) {
        List<Row> again = compare(confirmation, confidence, threshold);
        List<Row> confirmed = new ArrayList<>();
        for (Row r : rows) {
            Row second = again.stream().filter(a -> a.name().equals(r.name())).findFirst().orElse(null);
            if (second == null) {
                confirmed.add(r);
                continue;
            }
            PairedComparison.Result result = r.result().verdict() != PairedComparison.Verdict.REGRESSION ? r.result()
                    : r.result().withVerdict(second.result().verdict().flagged() ? PairedComparison.Verdict.REGRESSION
                    : PairedComparison.Verdict.NOT_CONFIRMED);
            confirmed.add(new Row(r.transport(), r.frame(), r.figure(), r.base(), r.head(), result, second.result()));
        }
        return confirmed;
    }

    /** The flagged rows: regressions, and benchmarks head ran in no round. */
    public static List<Row> flagged(List<Row> rows) {
        return rows.stream().filter(r -> r.result().verdict().flagged()).toList();
    }

    /** A benchmark row's figure by its definition. */
    public static Estimate figure(BenchmarkRow row, Metric metric) {
        return accessor(metric).apply(row);
    }

    private static Function<BenchmarkRow, Estimate> accessor(Metric metric) {
        return switch (metric) {
            case GBPS -> BenchmarkRow::gbps;
            case CPU_TOTAL -> BenchmarkRow::cpuTotalSPerGb;
            case CPU_SENDER -> BenchmarkRow::cpuSenderSPerGb;
            case CPU_RECEIVER -> BenchmarkRow::cpuReceiverSPerGb;
            case CPU_MACHINE -> BenchmarkRow::cpuMachineSPerGb;
            case RSS_SENDER -> BenchmarkRow::rssSenderMb;
            case RSS_RECEIVER -> BenchmarkRow::rssReceiverMb;
            default -> throw new IllegalArgumentException("no saturation figure " + metric.key());
        };
    }

    private static double[] values(BenchmarkRow[] rounds, Metric figure) {
        double[] values = new double[rounds.length];
        for (int r = 0; r < rounds.length; r++) {
            values[r] = rounds[r] == null ? Double.NaN : figure(rounds[r], figure).score();
        }
        return values;
    }

    /**
     * Head's own figures over its rounds, as one run whose forks are the rounds (each round ran one fork):
     * geometric means and 95% intervals over rounds, as every published figure. What the nightly job hands to
     * Bencher and github-action-benchmark.
     */
    public static RunResults headRun(List<Rounds> benchmarks) {
        List<BenchmarkRow> rows = new ArrayList<>();
        for (Rounds b : benchmarks) {
            List<BenchmarkRow> ran = Arrays.stream(b.head()).filter(r -> r != null).toList();
            if (ran.isEmpty()) {
                continue;
            }
            rows.add(new BenchmarkRow(b.transport(), b.frame(), ran.getFirst().consume(), overRounds(ran, BenchmarkRow::framesPerSecond),
                    overRounds(ran, BenchmarkRow::gbps), overRounds(ran, BenchmarkRow::cpuSenderSPerGb), overRounds(ran, BenchmarkRow::cpuReceiverSPerGb),
                    overRounds(ran, BenchmarkRow::cpuTotalSPerGb), overRounds(ran, BenchmarkRow::cpuMachineSPerGb), peak(ran, BenchmarkRow::rssSenderMb),
                    peak(ran, BenchmarkRow::rssReceiverMb), Estimate.ABSENT, StorageFigures.NONE));
        }
        return new RunResults(rows, List.of());
    }

    private static Estimate overRounds(List<BenchmarkRow> rounds, Function<BenchmarkRow, Estimate> figure) {
        List<Double> values = rounds.stream().map(r -> figure.apply(r).score()).filter(Double::isFinite).toList();
        return values.isEmpty() ? Estimate.ABSENT : Estimate.fromForks(values);
    }

    private static Estimate peak(List<BenchmarkRow> rounds, Function<BenchmarkRow, Estimate> figure) {
        double max = rounds.stream().mapToDouble(r -> figure.apply(r).score()).filter(Double::isFinite).max().orElse(Double.NaN);
        return Estimate.of(max, Double.NaN, Double.NaN, Double.NaN);
    }

    /** "3%", "2.5%": a threshold or confidence as the user wrote it. */
    public static String plainPercent(double fraction) {
        return new java.math.BigDecimal(fraction * 100).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString() + "%";
    }

    /** "-7.8%": a fraction as a signed percentage; "-" where there is none. */
    public static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%+.1f%%", fraction * 100) : "-";
    }
}
