package dev.framebench.harness.results;

import java.util.ArrayList;
import java.util.List;

/**
 * One figure of a benchmark: its centre, the interval around it, and the per-fork means it came from.
 *
 * <p>A published figure is built from its forks ({@link #fromForks}), the independent unit of a JMH run:
 * iterations inside one fork share its JVM, its JIT decisions and its stretch of the host's drift, so pooling
 * them as if independent gives an interval far too narrow for the next run (and, taken linearly, one that
 * reaches below zero). The centre is the geometric mean of the fork means, and the interval is Student's t
 * over the forks' logarithms at {@link #CONFIDENCE}, n - 1 degrees of freedom, exponentiated back: never
 * below zero. One fork has no fork-to-fork interval: {@code error} is NaN and the interval is the score
 * itself, and the reports say "1 fork, no interval" rather than invent one.
 *
 * @param score     the centre: geometric mean of the fork means (or JMH's score, read from elsewhere)
 * @param error     half the interval's width, {@code (high - low) / 2}, in the figure's unit; NaN without one
 * @param low       lower end of the interval; the score itself without one
 * @param high      upper end of the interval; the score itself without one
 * @param forkMeans each fork's mean over its measurement iterations, in the order the forks ran; empty when unknown
 */
public record Estimate(double score, double error, double low, double high, List<Double> forkMeans) {
    /** The confidence of every published interval: 95%, two-sided. */
    public static final double CONFIDENCE = 0.95;
    /** An interval reaching further than this from its centre (x or / 1.25) is marked as too wide to rank on. */
    public static final double WIDE = 0.25;
    public static final Estimate ABSENT = new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public Estimate {
        forkMeans = List.copyOf(forkMeans);
    }

    /** A figure without fork data (summary.json of an older report, a derived figure). */
    public Estimate(double score, double error, double low, double high) {
        this(score, error, low, high, List.of());
    }

    public static Estimate of(double score, double error, double low, double high) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return new Estimate(score, error, score, score);
        }
        return new Estimate(score, error, low, high);
    }

    /**
     * The figure of {@code forkMeans}: geometric mean, and Student's t interval of the mean of their logs at
     * {@code confidence} with n - 1 degrees of freedom, exponentiated. Values that have no logarithm (zero, as
     * the sender RSS of an in-process transport) give their arithmetic mean and no interval.
     */
    public static Estimate fromForks(List<Double> forkMeans, double confidence) {
        List<Double> finite = forkMeans.stream().filter(Double::isFinite).toList();
        if (finite.isEmpty()) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN, forkMeans);
        }
        double[] values = finite.stream().mapToDouble(Double::doubleValue).toArray();
        double[] logs = LogInterval.logs(values);
        if (logs == null) {
            double mean = LogInterval.mean(values);
            return new Estimate(mean, Double.NaN, mean, mean, finite);
        }
        return fromLogs(LogInterval.of(logs, confidence), finite);
    }

    public static Estimate fromForks(List<Double> forkMeans) {
        return fromForks(forkMeans, CONFIDENCE);
    }

    private static Estimate fromLogs(LogInterval interval, List<Double> forkMeans) {
        double score = interval.ratio();
        if (!interval.hasInterval()) {
            return new Estimate(score, Double.NaN, score, score, forkMeans);
        }
        double low = interval.low();
        double high = interval.high();
        return new Estimate(score, (high - low) / 2, low, high, forkMeans);
    }

    public boolean present() {
        return !Double.isNaN(score);
    }

    /** How many forks this figure came from; 0 when unknown. */
    public int forks() {
        return forkMeans.size();
    }

    public boolean hasInterval() {
        return Double.isFinite(error);
    }

    /**
     * How far the interval reaches above the centre, as a fraction: {@code high / score - 1}. For an interval
     * taken in log space it also reaches down to {@code score / (1 + spread)}. NaN without an interval.
     */
    public double spread() {
        return hasInterval() ? high / score - 1 : Double.NaN;
    }

    /** The interval reaches beyond x or / (1 + {@link #WIDE}) of the centre: too noisy to rank on. */
    public boolean wide() {
        return hasInterval() && spread() > WIDE;
    }

    /**
     * This figure over a ruler's, fork by fork, with its interval in log space. Forks that pair (the same
     * count, as in one run where fork k of every benchmark ran in round k of an interleaved run) give the
     * t interval of the per-fork log ratios, n - 1 degrees of freedom; otherwise Welch's interval of the
     * difference of the two samples' mean logs. Without two forks on each side there is no interval.
     */
    public Estimate perForkRatio(Estimate ruler) {
        double ratio = score / ruler.score;
        double[] mine = LogInterval.logs(finiteValues(forkMeans));
        double[] theirs = LogInterval.logs(finiteValues(ruler.forkMeans));
        if (mine == null || theirs == null || mine.length < 2 || theirs.length < 2) {
            return Estimate.of(ratio, Double.NaN, Double.NaN, Double.NaN);
        }
        if (mine.length == theirs.length) {
            double[] differences = new double[mine.length];
            List<Double> perFork = new ArrayList<>(mine.length);
            for (int i = 0; i < mine.length; i++) {
                differences[i] = mine[i] - theirs[i];
                perFork.add(Math.exp(differences[i]));
            }
            return fromLogs(LogInterval.of(differences, CONFIDENCE), perFork);
        }
        return fromLogs(LogInterval.welch(theirs, mine, CONFIDENCE), List.of());
    }

    private static double[] finiteValues(List<Double> values) {
        return values.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * This figure divided by a ruler's, measured in the same run but in other forks: independent errors, so
     * their relative half-widths add in quadrature, as for any quotient of independent estimates. (Taking
     * the bounds against each other, low over the ruler's high, adds them outright: an interval far wider than
     * the confidence, which on a noisy host hid every change below 50%.) The ruler's noise still widens the interval.
     */
    public Estimate over(Estimate ruler) {
        double score = this.score / ruler.score;
        double relative = Math.hypot(relativeHalfWidth(), ruler.relativeHalfWidth());
        return new Estimate(score, score * relative, score * (1 - relative), score * (1 + relative));
    }

    /** Half the interval over the score: 0 for a figure with no interval. */
    double relativeHalfWidth() {
        return (high - low) / 2 / Math.abs(score);
    }

    public Estimate times(double factor) {
        return new Estimate(score * factor, error * Math.abs(factor), Math.min(low * factor, high * factor), Math.max(low * factor, high * factor),
                forkMeans.stream().map(v -> v * factor).toList());
    }

    public boolean overlaps(Estimate other) {
        return low <= other.high && other.low <= high;
    }
}
