package dev.framebench.harness.jmh;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;

import java.io.Serial;
import java.util.Collection;

/**
 * One latency percentile (or the maximum) as a JMH secondary metric, in microseconds, that carries the
 * window's whole HdrHistogram. JMH aggregates a {@code ScalarResult} by averaging, and the mean of
 * per-iteration p99s is not a p99; this result merges the histograms of every iteration (and fork)
 * instead, so {@code latency.p99.us} is the p99 of every frame of the measurement.
 */
final class LatencyResult extends Result<LatencyResult> {
    @Serial
    private static final long serialVersionUID = 1L;
    /** {@link #percentile} of the maximum. */
    static final double MAX = 100.0;

    /** Latencies in ns; HdrHistogram's histograms are {@link java.io.Serializable}, so JMH carries them from the fork. */
    private final Histogram histogram;
    private final double percentile;

    LatencyResult(String label, Histogram histogram, double percentile) {
        super(ResultRole.SECONDARY, label, of(microseconds(histogram, percentile)), "us", AggregationPolicy.MAX);
        this.histogram = histogram;
        this.percentile = percentile;
    }

    private static double microseconds(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return Double.NaN;
        }
        long nanos = percentile >= MAX ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return nanos / 1e3;
    }

    @Override
    protected Aggregator<LatencyResult> getThreadAggregator() {
        return LatencyResult::merge;
    }

    @Override
    protected Aggregator<LatencyResult> getIterationAggregator() {
        return LatencyResult::merge;
    }

    private static LatencyResult merge(Collection<LatencyResult> results) {
        Histogram merged = null;
        String label = null;
        double percentile = 0;
        for (LatencyResult r : results) {
            if (merged == null) {
                merged = r.histogram.copy();
                label = r.label;
                percentile = r.percentile;
            } else {
                merged.add(r.histogram);
            }
        }
        if (merged == null) {
            throw new IllegalArgumentException("no latency results to merge");
        }
        return new LatencyResult(label, merged, percentile);
    }

    @Override
    protected String simpleExtendedInfo() {
        return String.format(java.util.Locale.ROOT, "%.1f us over %d frames", getScore(), histogram.getTotalCount());
    }
}
