package dev.framebench.harness.results;

/**
 * One figure of a benchmark as JMH reports it: the mean over measurement iterations, its error (the
 * half-width of JMH's 99.9% confidence interval) and that interval. With a single iteration JMH has no
 * interval; {@code error} is then NaN and the interval is the score itself.
 */
public record Estimate(double score, double error, double low, double high) {
    public static final Estimate ABSENT = new Estimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public static Estimate of(double score, double error, double low, double high) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return new Estimate(score, error, score, score);
        }
        return new Estimate(score, error, low, high);
    }

    public boolean present() {
        return !Double.isNaN(score);
    }

    /**
     * This figure divided by a ruler's, measured in the same run but in other forks: independent errors, so
     * their relative half-widths add in quadrature, as for any quotient of independent estimates. (Taking
     * the bounds against each other, low over the ruler's high, adds them outright: an interval far wider than
     * 99.9%, which on a noisy host hid every change below 50%.) The ruler's noise still widens the interval.
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
        return new Estimate(score * factor, error * Math.abs(factor), Math.min(low * factor, high * factor), Math.max(low * factor, high * factor));
    }

    public boolean overlaps(Estimate other) {
        return low <= other.high && other.low <= high;
    }
}
