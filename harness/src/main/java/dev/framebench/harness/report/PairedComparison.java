package dev.framebench.harness.report;

import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.LogInterval;

import java.util.Arrays;

/**
 * The statistic of {@code scripts/compare.sh}: one figure of one benchmark, measured for two builds in the
 * same rounds on the same machine, as the ratio head / base with its interval.
 *
 * <p>Every round ran each build once, in a shuffled order, so a round's two values share that stretch of
 * the host's drift. The comparison is paired: {@code d_r = ln(head_r / base_r)} per round r, their mean
 * and Student's t interval over the n rounds at the given confidence (two-sided, n - 1 degrees of freedom),
 * exponentiated back to a ratio. Where rounds cannot pair (a round in which one build's run failed), the two
 * builds' logs are compared unpaired, by Welch's interval of the difference of their means
 * (Welch-Satterthwaite degrees of freedom). Fewer than two values give no interval.
 *
 * <p>The verdict needs the whole interval beyond the threshold in one direction: REGRESSION when it lies
 * beyond {@code 1 - threshold} (a rate) or {@code 1 + threshold} (a cost) in the worse direction,
 * IMPROVEMENT when beyond the other way; UNCHANGED when it lies inside {@code [1 - threshold, 1 + threshold]},
 * and WITHIN_NOISE when it reaches past the threshold without clearing it. {@link Result#flagsAt} is the
 * smallest change this run could have flagged: the interval, keeping its width, moved in the worse direction
 * until it clears the threshold.
 */
public final class PairedComparison {
    /** How the rounds were compared. */
    public enum Method { PAIRED, WELCH, NONE }

    public enum Verdict {
        REGRESSION("REGRESSION"), IMPROVEMENT("improvement"), WITHIN_NOISE("within noise"), UNCHANGED("unchanged"),
        /** Fewer than two values on a side: a ratio, no interval, no verdict. */
        NO_INTERVAL("no interval"),
        /** Head ran in no round while base did: counted as a regression. */
        HEAD_FAILED("FAILED in head"),
        /** Base ran in no round while head did. */
        BASE_FAILED("failed in base"),
        /**
         * Flagged by the rounds, then not flagged again by a second, independent set of rounds of the same
         * benchmark ({@link Comparison#confirm}): taken for a false alarm, not a failure.
         */
        NOT_CONFIRMED("not confirmed");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** What fails the comparison (exit 1). */
        public boolean flagged() {
            return this == REGRESSION || this == HEAD_FAILED;
        }
    }

    /**
     * @param ratio            head / base: exp of the mean log ratio (paired), or of the difference of mean logs (Welch)
     * @param low              lower end of the interval; NaN without one
     * @param high             upper end of the interval; NaN without one
     * @param n                rounds paired, or the smaller side's count (Welch)
     * @param degreesOfFreedom n - 1 (paired), Welch-Satterthwaite (Welch); NaN without an interval
     * @param flagsAt          the smallest change in the worse direction this run could flag, as a fraction
     *                         (negative for a rate, positive for a cost); NaN without an interval
     */
    public record Result(double ratio, double low, double high, Method method, int n, double degreesOfFreedom, double flagsAt,
                         Verdict verdict) {
        public boolean hasInterval() {
            return Double.isFinite(low) && Double.isFinite(high);
        }

        /** The same figures with another verdict: what a confirmation decides. */
        public Result withVerdict(Verdict other) {
            return new Result(ratio, low, high, method, n, degreesOfFreedom, flagsAt, other);
        }

        /** The interval reaches beyond x or / 1.25 of the ratio: a row to read with care. */
        public boolean wide() {
            return hasInterval() && high / ratio > 1 + Estimate.WIDE;
        }
    }

    private PairedComparison() {
    }

    /**
     * @param base           each round's value for the base build, NaN where that round has none
     * @param head           the same for the head build, as many rounds
     * @param higherIsBetter true for a rate (GB/s), false for a cost (s/GB)
     * @param confidence     two-sided, e.g. 0.95
     * @param threshold      a fraction, e.g. 0.03: changes inside +-3% are no verdict
     */
    public static Result compare(double[] base, double[] head, boolean higherIsBetter, double confidence, double threshold) {
        if (base.length != head.length) {
            throw new IllegalArgumentException("base and head need one value per round each: base=" + base.length + " head=" + head.length);
        }
        double[] baseLogs = logsOfPresent(base);
        double[] headLogs = logsOfPresent(head);
        if (headLogs.length == 0 || baseLogs.length == 0) {
            Verdict failed = headLogs.length == 0 && baseLogs.length > 0 ? Verdict.HEAD_FAILED
                    : baseLogs.length == 0 && headLogs.length > 0 ? Verdict.BASE_FAILED : Verdict.NO_INTERVAL;
            return new Result(Double.NaN, Double.NaN, Double.NaN, Method.NONE, 0, Double.NaN, Double.NaN, failed);
        }
        boolean pairs = true;
        for (int r = 0; r < base.length; r++) {
            pairs &= present(base[r]) == present(head[r]);
        }
        LogInterval interval;
        Method method;
        if (pairs) {
            double[] differences = new double[baseLogs.length];
            for (int i = 0; i < differences.length; i++) {
                differences[i] = headLogs[i] - baseLogs[i];
            }
            interval = LogInterval.of(differences, confidence);
            method = Method.PAIRED;
        } else {
            interval = LogInterval.welch(baseLogs, headLogs, confidence);
            method = Method.WELCH;
        }
        double ratio = interval.ratio();
        if (!interval.hasInterval()) {
            return new Result(ratio, Double.NaN, Double.NaN, method, interval.n(), Double.NaN, Double.NaN, Verdict.NO_INTERVAL);
        }
        double low = interval.low();
        double high = interval.high();
        double h = interval.halfWidth();
        double flagsAt = higherIsBetter ? (1 - threshold) * Math.exp(-h) - 1 : (1 + threshold) * Math.exp(h) - 1;
        return new Result(ratio, low, high, method, interval.n(), interval.degreesOfFreedom(), flagsAt,
                verdict(low, high, higherIsBetter, threshold));
    }

    static Verdict verdict(double low, double high, boolean higherIsBetter, double threshold) {
        boolean below = high < 1 - threshold;
        boolean above = low > 1 + threshold;
        if (below) {
            return higherIsBetter ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
        }
        if (above) {
            return higherIsBetter ? Verdict.IMPROVEMENT : Verdict.REGRESSION;
        }
        return low >= 1 - threshold && high <= 1 + threshold ? Verdict.UNCHANGED : Verdict.WITHIN_NOISE;
    }

    private static boolean present(double v) {
        return v > 0 && Double.isFinite(v);
    }

    /** The logs of the rounds that have a value, in round order. */
    private static double[] logsOfPresent(double[] values) {
        return Arrays.stream(values).filter(PairedComparison::present).map(Math::log).toArray();
    }
}
