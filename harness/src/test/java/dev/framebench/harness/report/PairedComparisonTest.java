package dev.framebench.harness.report;

import dev.framebench.harness.report.PairedComparison.Method;
import dev.framebench.harness.report.PairedComparison.Result;
import dev.framebench.harness.report.PairedComparison.Verdict;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compare.sh's statistic on constructed rounds whose answer is known. */
class PairedComparisonTest {
    private static final double CONFIDENCE = 0.95;
    private static final double THRESHOLD = 0.03;
    /** Five rounds of a host whose speed drifts by 40% between rounds: pairing must cancel it. */
    private static final double[] DRIFTING_BASE = {10.0, 14.0, 9.0, 12.5, 11.0};

    /** Head rounds whose log ratios to base are exactly mean + sd x z, z of mean 0 and sd 1. */
    private static double[] head(double[] base, double meanLog, double sdLog) {
        double[] z = {-2, -1, 0, 1, 2};
        double[] head = new double[base.length];
        for (int r = 0; r < base.length; r++) {
            head[r] = base[r] * Math.exp(meanLog + sdLog * z[r] / Math.sqrt(2.5));
        }
        return head;
    }

    @Test
    void pairedRoundsGiveTheTIntervalOfTheirLogRatios() {
        double mean = Math.log(0.9);
        double sd = 0.02;
        Result r = PairedComparison.compare(DRIFTING_BASE, head(DRIFTING_BASE, mean, sd), true, CONFIDENCE, THRESHOLD);
        double h = 2.776445 * sd / Math.sqrt(5);
        assertEquals(Method.PAIRED, r.method());
        assertEquals(5, r.n());
        assertEquals(4.0, r.degreesOfFreedom());
        assertEquals(0.9, r.ratio(), 1e-12);
        assertEquals(0.9 * Math.exp(-h), r.low(), 1e-7);
        assertEquals(0.9 * Math.exp(h), r.high(), 1e-7);
        assertEquals(Verdict.REGRESSION, r.verdict(), "the whole interval is below 0.97: " + r);
        assertEquals(0.97 * Math.exp(-h) - 1, r.flagsAt(), 1e-7, "threshold and half-width, in the worse direction");
        assertTrue(r.verdict().flagged());
    }

    @Test
    void theSameChangeOfACostIsARegressionUpwards() {
        // s/GB 1/0.9 = 11% higher: worse, the other way round.
        Result r = PairedComparison.compare(DRIFTING_BASE, head(DRIFTING_BASE, -Math.log(0.9), 0.02), false, CONFIDENCE, THRESHOLD);
        assertEquals(Verdict.REGRESSION, r.verdict());
        assertTrue(r.flagsAt() > THRESHOLD, "a cost is flagged upwards: " + r.flagsAt());
        assertEquals(Verdict.IMPROVEMENT, PairedComparison.compare(DRIFTING_BASE, head(DRIFTING_BASE, Math.log(0.9), 0.02), false,
                CONFIDENCE, THRESHOLD).verdict());
        assertEquals(Verdict.IMPROVEMENT, PairedComparison.compare(DRIFTING_BASE, head(DRIFTING_BASE, Math.log(1.3), 0.02), true,
                CONFIDENCE, THRESHOLD).verdict());
    }

    /** Both builds see the same drifting host plus their own 3% noise; head is 30% slower. */
    @Test
    void thirtyPercentCutIsFlaggedThroughDriftAndNoise() {
        Random random = new Random(16);
        double[] base = new double[5];
        double[] head = new double[5];
        for (int r = 0; r < 5; r++) {
            double host = 5 * (1 + 0.3 * (random.nextDouble() - 0.5));
            base[r] = host * (1 + 0.03 * random.nextGaussian());
            head[r] = 0.7 * host * (1 + 0.03 * random.nextGaussian());
        }
        Result gbps = PairedComparison.compare(base, head, true, CONFIDENCE, THRESHOLD);
        assertEquals(Verdict.REGRESSION, gbps.verdict(), gbps.toString());
        assertTrue(gbps.low() < 0.7 && gbps.high() > 0.7 || Math.abs(gbps.ratio() - 0.7) < 0.05, gbps.toString());
        double[] baseCost = new double[5];
        double[] headCost = new double[5];
        for (int r = 0; r < 5; r++) {
            baseCost[r] = 1 / base[r];
            headCost[r] = 1 / head[r];
        }
        assertEquals(Verdict.REGRESSION, PairedComparison.compare(baseCost, headCost, false, CONFIDENCE, THRESHOLD).verdict());
    }

    @Test
    void sameBuildTwiceWithNoiseIsNotFlagged() {
        // A/A: +-5% of noise on top of the drift, no change: the interval holds 1 and reaches past 3%.
        double[] head = {10.5, 13.3, 9.27, 12.1, 11.0};
        Result r = PairedComparison.compare(DRIFTING_BASE, head, true, CONFIDENCE, THRESHOLD);
        assertFalse(r.verdict().flagged(), r.toString());
        assertEquals(Verdict.WITHIN_NOISE, r.verdict());
        assertTrue(r.low() < 1 && r.high() > 1, r.toString());
        assertTrue(r.flagsAt() < -THRESHOLD, "noise pushes the smallest flaggable change beyond the threshold: " + r.flagsAt());
        // With a tenth of a percent of noise the whole interval is inside +-3%: unchanged.
        double[] quiet = {10.01, 13.99, 9.0, 12.51, 10.99};
        assertEquals(Verdict.UNCHANGED, PairedComparison.compare(DRIFTING_BASE, quiet, true, CONFIDENCE, THRESHOLD).verdict());
    }

    @Test
    void roundsThatCannotPairAreComparedByWelch() {
        double[] base = {10.0, 11.0, 9.5, 10.4};
        double[] head = {5.2, Double.NaN, 4.9, 5.6};
        Result r = PairedComparison.compare(base, head, true, CONFIDENCE, THRESHOLD);
        assertEquals(Method.WELCH, r.method());
        // SciPy: exp(mean(ln head) - mean(ln base) +- t.ppf(0.975, df) * sqrt(va/na + vb/nb)), Welch-Satterthwaite df.
        assertEquals(0.511790, r.ratio(), 1e-6);
        assertEquals(0.447364, r.low(), 1e-6);
        assertEquals(0.585494, r.high(), 1e-6);
        assertEquals(4.233600, r.degreesOfFreedom(), 1e-6);
        assertEquals(3, r.n());
        assertEquals(Verdict.REGRESSION, r.verdict());
    }

    @Test
    void intervalsNeverReachBelowZero() {
        double[] base = {1.0, 1.0, 1.0};
        double[] head = {0.05, 3.0, 0.5};
        Result r = PairedComparison.compare(base, head, true, CONFIDENCE, THRESHOLD);
        assertTrue(r.low() > 0 && r.wide(), r.toString());
    }

    @Test
    void oneRoundHasNoIntervalAndNoVerdict() {
        Result r = PairedComparison.compare(new double[] {10.0}, new double[] {7.0}, true, CONFIDENCE, THRESHOLD);
        assertEquals(0.7, r.ratio(), 1e-12);
        assertEquals(Verdict.NO_INTERVAL, r.verdict());
        assertFalse(r.hasInterval());
        assertFalse(r.verdict().flagged(), "without an interval nothing is flagged");
    }

    @Test
    void aBuildThatRanInNoRoundIsNamed() {
        double[] none = {Double.NaN, Double.NaN};
        Result headFailed = PairedComparison.compare(new double[] {10, 11}, none, true, CONFIDENCE, THRESHOLD);
        assertEquals(Verdict.HEAD_FAILED, headFailed.verdict());
        assertTrue(headFailed.verdict().flagged(), "head lost the benchmark: fails the comparison");
        Result baseFailed = PairedComparison.compare(none, new double[] {10, 11}, true, CONFIDENCE, THRESHOLD);
        assertEquals(Verdict.BASE_FAILED, baseFailed.verdict());
        assertFalse(baseFailed.verdict().flagged());
    }

    @Test
    void roundsOfDifferentCountsAreAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.compare(new double[2], new double[3], true, CONFIDENCE, THRESHOLD));
    }
}
