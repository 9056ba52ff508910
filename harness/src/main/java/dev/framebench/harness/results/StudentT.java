package dev.framebench.harness.results;

/**
 * Student's t distribution: its distribution function and its quantile, for any positive degrees of
 * freedom (Welch's approximation gives fractional ones). Every interval framebench publishes is a
 * t interval, so this is implemented here rather than taken from a statistics library for one function.
 *
 * <p>The distribution function is the regularized incomplete beta function,
 * {@code P(T > t) = I_x(df/2, 1/2) / 2} with {@code x = df / (df + t^2)}, evaluated by its continued fraction
 * (modified Lentz) with a Lanczos log-gamma; both are accurate to about 1e-14. The quantile inverts it by
 * bisection on the upper tail, which is monotone, to the last bits of a double: far within the 1e-6 that
 * tabulated quantiles carry.
 */
public final class StudentT {
    private static final int MAX_FRACTION_TERMS = 100_000;
    private static final double FRACTION_EPSILON = 1e-16;
    private static final double TINY = 1e-300;
    private static final double MAX_DEGREES = 1e7;
    /** Lanczos coefficients for g = 7, n = 9 (the widely published set): relative error about 1e-15 for positive arguments. */
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

    private StudentT() {
    }

    /**
     * The {@code p}-quantile: the t with {@code P(T <= t) = p}.
     *
     * @param p                a probability strictly between 0 and 1; 0.975 for the upper end of a 95% two-sided interval
     * @param degreesOfFreedom positive, possibly fractional (infinite: the normal distribution)
     */
    public static double quantile(double p, double degreesOfFreedom) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("t quantile needs 0 < p < 1: p=" + p);
        }
        requireDegrees(degreesOfFreedom);
        // Beyond 1e7 degrees of freedom t is the normal distribution to 1e-7, and the continued fraction needs
        // about sqrt(df) terms: cap it there.
        double df = Math.min(degreesOfFreedom, MAX_DEGREES);
        if (p == 0.5) {
            return 0;
        }
        if (p < 0.5) {
            return -quantile(1 - p, df);
        }
        double tail = 1 - p;
        double low = 0;
        double high = 1;
        while (upperTail(high, df) > tail) {
            low = high;
            high *= 2;
            if (Double.isInfinite(high)) {
                return Double.POSITIVE_INFINITY;
            }
        }
        // The upper tail falls strictly as t grows: halve the bracket until it is one or two doubles wide.
        for (int i = 0; i < 2_000 && high - low > Math.ulp(high); i++) {
            double middle = low + (high - low) / 2;
            if (upperTail(middle, df) > tail) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return low + (high - low) / 2;
    }

    /** {@code P(T <= t)}. */
    public static double cdf(double t, double degreesOfFreedom) {
        requireDegrees(degreesOfFreedom);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        double df = Math.min(degreesOfFreedom, MAX_DEGREES);
        return t >= 0 ? 1 - upperTail(t, df) : upperTail(-t, df);
    }

    /** The two-sided multiplier of a {@code confidence} interval: {@code quantile(1 - (1 - confidence) / 2, df)}. */
    public static double twoSided(double confidence, double degreesOfFreedom) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be strictly between 0 and 1: " + confidence);
        }
        return quantile(1 - (1 - confidence) / 2, degreesOfFreedom);
    }

    /** {@code P(T > t)} for {@code t >= 0}. */
    static double upperTail(double t, double df) {
        if (Double.isInfinite(t)) {
            return 0;
        }
        double t2 = t * t;
        // x and 1 - x computed apart: for a large df, 1 - x from x alone would lose every digit.
        double x = df / (df + t2);
        double oneMinusX = t2 / (df + t2);
        return 0.5 * regularizedBeta(x, oneMinusX, df / 2, 0.5);
    }

    /** {@code I_x(a, b)}, given x and 1 - x. */
    static double regularizedBeta(double x, double oneMinusX, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (oneMinusX <= 0) {
            return 1;
        }
        double logFront = a * Math.log(x) + b * Math.log(oneMinusX) - logBeta(a, b);
        // The continued fraction converges fast below the mean of the distribution; above it, use I_x(a,b) = 1 - I_{1-x}(b,a).
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * continuedFraction(x, a, b) / a;
        }
        return 1 - Math.exp(logFront) * continuedFraction(oneMinusX, b, a) / b;
    }

    /** The continued fraction of the incomplete beta function (Numerical Recipes' betacf), by the modified Lentz method. */
    private static double continuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        d = 1 / nonZero(d);
        double h = d;
        for (int m = 1; m <= MAX_FRACTION_TERMS; m++) {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 / nonZero(1 + even * d);
            c = nonZero(1 + even / c);
            h *= d * c;
            double odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 / nonZero(1 + odd * d);
            c = nonZero(1 + odd / c);
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < FRACTION_EPSILON) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta continued fraction did not converge: x=" + x + " a=" + a + " b=" + b);
    }

    private static double nonZero(double v) {
        return Math.abs(v) < TINY ? TINY : v;
    }

    static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** ln Gamma(z) for z > 0 (Lanczos). */
    static double logGamma(double z) {
        if (z < 0.5) {
            // Reflection keeps the approximation in its accurate range: Gamma(z) Gamma(1 - z) = pi / sin(pi z).
            return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
        }
        double zm1 = z - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (zm1 + i);
        }
        double t = zm1 + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (zm1 + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    private static void requireDegrees(double df) {
        if (!(df > 0)) {
            throw new IllegalArgumentException("t distribution needs degrees of freedom above 0: df=" + df);
        }
    }
}
