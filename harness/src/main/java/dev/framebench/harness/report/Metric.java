package dev.framebench.harness.report;

/**
 * One figure of a benchmark as JMH reports it: the mean over measurement iterations, its error (the
 * half-width of JMH's 99.9% confidence interval) and that interval. With a single iteration JMH has no
 * interval; {@code error} is then NaN and the interval is the score itself.
 */
public record Metric(double score, double error, double low, double high) {
    public static final Metric ABSENT = new Metric(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public static Metric of(double score, double error, double low, double high) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return new Metric(score, error, score, score);
        }
        return new Metric(score, error, low, high);
    }

    public boolean present() {
        return !Double.isNaN(score);
    }

    /** This figure divided by a ruler's; the interval is widened by the ruler's own, so noise in the ruler is not hidden. */
    public Metric over(Metric ruler) {
        double lowRatio = low / ruler.high;
        double highRatio = high / ruler.low;
        return new Metric(score / ruler.score, (highRatio - lowRatio) / 2, lowRatio, highRatio);
    }

    public Metric times(double factor) {
        return new Metric(score * factor, error * Math.abs(factor), Math.min(low * factor, high * factor), Math.max(low * factor, high * factor));
    }

    public boolean overlaps(Metric other) {
        return low <= other.high && other.low <= high;
    }
}
