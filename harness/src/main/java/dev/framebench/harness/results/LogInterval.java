package dev.framebench.harness.results;

import java.util.Arrays;

/**
 * A Student t interval for the mean of logarithms: of one sample (the forks of a figure, the per-round
 * log-ratios of a paired comparison), or of the difference between two independent samples (Welch). Every
 * figure framebench measures is positive and multiplicative (a rate, CPU seconds per GB, a ratio), so its
 * intervals are taken in log space and exponentiated back: they are never below zero, and a ratio's interval
 * is the same whichever side is on top.
 *
 * @param centre            the mean of the logs (one sample), or mean(b) - mean(a) (two samples)
 * @param halfWidth         t x standard error, in log units; 0 when the values do not vary; NaN without an interval
 * @param degreesOfFreedom  n - 1 (one sample), Welch-Satterthwaite (two samples); NaN without an interval
 * @param n                 values in the sample, or in the smaller of the two
 */
public record LogInterval(double centre, double halfWidth, double degreesOfFreedom, int n) {
    /** The centre back on the measured scale: the geometric mean (one sample), or the ratio of geometric means. */
    public double ratio() {
        return Math.exp(centre);
    }

    public double low() {
        return Math.exp(centre - halfWidth);
    }

    public double high() {
        return Math.exp(centre + halfWidth);
    }

    public boolean hasInterval() {
        return Double.isFinite(halfWidth);
    }

    /**
     * The interval of the mean of {@code logs} at {@code confidence} (two-sided), with n - 1 degrees of
     * freedom; a single value has no interval (its half-width is NaN) rather than an invented one.
     */
    public static LogInterval of(double[] logs, double confidence) {
        int n = logs.length;
        if (n == 0) {
            return new LogInterval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = mean(logs);
        if (n == 1) {
            return new LogInterval(mean, Double.NaN, Double.NaN, 1);
        }
        double standardError = Math.sqrt(variance(logs, mean) / n);
        return new LogInterval(mean, StudentT.twoSided(confidence, n - 1) * standardError, n - 1, n);
    }

    /**
     * Welch's interval of mean(b) - mean(a) for two independent samples of logs, which need not be of one size:
     * standard error {@code sqrt(va/na + vb/nb)}, degrees of freedom by Welch-Satterthwaite. Either sample
     * with fewer than two values gives no interval.
     */
    public static LogInterval welch(double[] a, double[] b, double confidence) {
        int na = a.length;
        int nb = b.length;
        if (na == 0 || nb == 0) {
            return new LogInterval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double centre = mean(b) - mean(a);
        if (na < 2 || nb < 2) {
            return new LogInterval(centre, Double.NaN, Double.NaN, Math.min(na, nb));
        }
        double va = variance(a, mean(a)) / na;
        double vb = variance(b, mean(b)) / nb;
        double se2 = va + vb;
        if (se2 == 0) {
            return new LogInterval(centre, 0, na + nb - 2, Math.min(na, nb));
        }
        double df = se2 * se2 / (va * va / (na - 1) + vb * vb / (nb - 1));
        return new LogInterval(centre, StudentT.twoSided(confidence, df) * Math.sqrt(se2), df, Math.min(na, nb));
    }

    /** The natural logarithms of {@code values}; null when any is not a positive finite number (it has no log). */
    public static double[] logs(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0) || Double.isInfinite(values[i])) {
                return null;
            }
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }

    static double mean(double[] values) {
        return Arrays.stream(values).sum() / values.length;
    }

    /** The sample variance, n - 1 in the denominator. */
    static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }
}
