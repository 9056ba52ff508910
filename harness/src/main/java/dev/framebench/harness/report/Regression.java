package dev.framebench.harness.report;

import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares two runs row by row (transport x frame) on GB/s and cpu.total s/GB. Each figure is first
 * divided by {@code inproc-copy}'s at the same frame in its own run (the ruler), so a machine that is
 * uniformly slower is not a regression. A change is flagged only when it passes the threshold in the worse
 * direction AND the two normalised confidence intervals do not overlap: one noisy iteration cannot fail
 * the nightly job. A normalised interval carries the ruler's noise as well as the row's, in quadrature
 * ({@link Estimate#over}). The ruler rows themselves are not compared (they are 1 by definition).
 *
 * <p>Both conditions together set, per row, the smallest change in the worse direction that this pair of
 * runs could flag ({@link #flaggedAt}): with wide error bars it is far beyond the threshold, and a smaller
 * regression passes unseen.
 */
public final class Regression {
    /** A figure compared, and which way is better. */
    public enum Figure {
        GBPS(Metric.GBPS, BenchmarkRow::gbps),
        CPU_TOTAL(Metric.CPU_TOTAL, BenchmarkRow::cpuTotalSPerGb);

        public final String jsonName;
        final String unit;
        final boolean biggerIsBetter;
        final Function<BenchmarkRow, Estimate> of;

        Figure(Metric metric, Function<BenchmarkRow, Estimate> of) {
            this.jsonName = metric.key();
            this.unit = metric.unit();
            this.biggerIsBetter = metric.higherIsBetter();
            this.of = of;
        }
    }

    public enum Verdict { REGRESSION, IMPROVEMENT, WITHIN_NOISE, UNCHANGED }

    /**
     * One figure of one row in both runs, normalised by each run's ruler.
     *
     * @param flaggedAtPercent the change in the worse direction (negative for GB/s, positive for s/GB) beyond
     *                         which this row would be flagged, given these runs' error bars and the threshold
     */
    public record Change(String transport, String frame, Figure figure, Estimate baseline, Estimate current, double percent,
                         double flaggedAtPercent, Verdict verdict) {
        public boolean worse() {
            return figure.biggerIsBetter ? percent < 0 : percent > 0;
        }
    }

    private Regression() {
    }

    /**
     * @param threshold a fraction: 0.10 flags changes beyond 10%
     * @return every comparable figure; empty when the runs share no row with a ruler in both
     */
    public static List<Change> compare(RunResults baseline, RunResults current, double threshold) {
        List<Change> changes = new ArrayList<>();
        for (BenchmarkRow now : current.rows()) {
            if (now.transport().equals(BenchmarkRow.RULER)) {
                continue;
            }
            Optional<BenchmarkRow> before = baseline.row(now.transport(), now.frame());
            Optional<BenchmarkRow> rulerBefore = baseline.row(BenchmarkRow.RULER, now.frame());
            Optional<BenchmarkRow> rulerNow = current.row(BenchmarkRow.RULER, now.frame());
            if (before.isEmpty() || rulerBefore.isEmpty() || rulerNow.isEmpty()) {
                continue;
            }
            for (Figure figure : Figure.values()) {
                Estimate a = figure.of.apply(before.get());
                Estimate b = figure.of.apply(now);
                Estimate rulerA = figure.of.apply(rulerBefore.get());
                Estimate rulerB = figure.of.apply(rulerNow.get());
                if (!a.present() || !b.present() || !rulerA.present() || !rulerB.present()) {
                    continue;
                }
                Estimate normalisedA = a.over(rulerA);
                Estimate normalisedB = b.over(rulerB);
                double percent = (normalisedB.score() / normalisedA.score() - 1) * 100;
                changes.add(new Change(now.transport(), now.frame(), figure, normalisedA, normalisedB, percent,
                        flaggedAt(figure, normalisedA, normalisedB, threshold),
                        verdict(figure, normalisedA, normalisedB, percent, threshold * 100)));
            }
        }
        return changes;
    }

    /**
     * What the current run lacks of the baseline: each baseline row (transport x frame) that is missing
     * from the current run, or present without a figure that regress compares (a benchmark that failed, or
     * a score of null). Such a row cannot be compared; regress fails on it rather than skipping it, because
     * a transport that vanished from a nightly would otherwise go unnoticed.
     */
    public static List<String> missing(RunResults baseline, RunResults current) {
        List<String> missing = new ArrayList<>();
        for (BenchmarkRow before : baseline.rows()) {
            Optional<BenchmarkRow> now = current.row(before.transport(), before.frame());
            if (now.isEmpty()) {
                missing.add(before.key() + " (no row)");
                continue;
            }
            for (Figure figure : Figure.values()) {
                if (figure.of.apply(before).present() && !figure.of.apply(now.get()).present()) {
                    missing.add(before.key() + " (no " + figure.jsonName + ")");
                }
            }
        }
        return missing;
    }

    /**
     * The change, in percent, that this comparison would flag: the current score moved in the worse direction,
     * its interval keeping its relative width, until that interval no longer overlaps the baseline's, or until
     * the threshold, whichever is further. A change must go beyond it (the boundary itself is not flagged).
     *
     * <p>GB/s: the current upper bound must fall below the baseline's lower bound, so
     * {@code -100 * max(threshold, 1 - (lowA / scoreA) * (scoreB / highB))}. s/GB: the current lower bound
     * must rise above the baseline's upper bound, so {@code 100 * max(threshold, (highA / scoreA) * (scoreB / lowB) - 1)}.
     * A metric without an interval (one iteration: NaN bounds) counts as a zero-width one.
     *
     * @param baseline  the baseline's figure, normalised by its ruler
     * @param current   the current run's figure, normalised by its ruler
     * @param threshold a fraction, as for {@link #compare}
     * @return percent; infinite when no change can be flagged (a current lower bound of 0 for s/GB)
     */
    public static double flaggedAt(Figure figure, Estimate baseline, Estimate current, double threshold) {
        double scoreA = baseline.score();
        double scoreB = current.score();
        double lowA = boundOrScore(baseline.low(), scoreA);
        double highA = boundOrScore(baseline.high(), scoreA);
        double lowB = boundOrScore(current.low(), scoreB);
        double highB = boundOrScore(current.high(), scoreB);
        if (figure.biggerIsBetter) {
            return -100 * Math.max(threshold, 1 - (lowA / scoreA) * (scoreB / highB));
        }
        return 100 * Math.max(threshold, (highA / scoreA) * (scoreB / lowB) - 1);
    }

    private static double boundOrScore(double bound, double score) {
        return Double.isNaN(bound) ? score : bound;
    }

    private static Verdict verdict(Figure figure, Estimate a, Estimate b, double percent, double thresholdPercent) {
        if (Math.abs(percent) <= thresholdPercent) {
            return Verdict.UNCHANGED;
        }
        if (a.overlaps(b)) {
            return Verdict.WITHIN_NOISE;
        }
        boolean worse = figure.biggerIsBetter ? percent < 0 : percent > 0;
        return worse ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
    }
}
