package dev.framebench.harness.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A value axis: logarithmic when the values span more than {@link #LOG_ABOVE} times (transports differ by
 * two orders of magnitude, and a linear axis flattens all but the slowest), else linear from zero. Its
 * ticks are round numbers (1, 2, 5 x 10^k), a log axis's ends numbers of one significant digit, all
 * labelled with at most three significant digits.
 *
 * @param log whether the axis is logarithmic
 * @param min the value at the axis's start (above zero when logarithmic)
 * @param max the value at its end
 */
record AxisScale(boolean log, double min, double max) {
    /** Values spanning more than this ratio get a logarithmic axis. */
    static final double LOG_ABOVE = 10;
    private static final double[] STEPS = {1, 2, 5};

    /** The axis that holds every value in [{@code low}, {@code high}]; both above zero. */
    static AxisScale fit(double low, double high) {
        return fit(low, high, false);
    }

    /**
     * The axis that holds every value in [{@code low}, {@code high}], logarithmic whatever the span when
     * {@code log} is set (a ratio around 1: 0.8 and 1.25 are equally far from it).
     */
    static AxisScale fit(double low, double high, boolean log) {
        if (!(low > 0) || !(high >= low)) {
            return new AxisScale(false, 0, high > 0 ? niceAtOrAbove(high) : 1);
        }
        if (log || high / low > LOG_ABOVE) {
            // Ends at one significant digit (0.2 to 30, not 0.2 to 50): a log axis has no zero to include, and a
            // round-number end far past the data squeezes every dot into part of the width.
            // 5% of room at each end, so a marker at the smallest or largest value is not cut by the axis's edge.
            return new AxisScale(true, oneDigit(low / 1.05, false), oneDigit(high * 1.05, true));
        }
        return new AxisScale(false, 0, niceAtOrAbove(high * 1.05));
    }

    /** Where {@code value} falls on the axis: 0 at its start, 1 at its end. */
    double fraction(double value) {
        if (log) {
            return (Math.log10(Math.max(value, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }
        return (value - min) / (max - min);
    }

    /**
     * Tick values on a log axis: every digit (and 1.1, 1.2, 1.5) of a decade within about one decade, 1, 2 and 5 of each
     * decade up to four, the decades alone beyond; five or so steps on a linear one.
     */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        if (log) {
            double decades = Math.log10(max / min);
            // Within about a decade (a ratio's axis) 1, 2 and 5 leave too few ticks: every digit, and 1.1, 1.2, 1.5.
            double[] steps = decades < 1.2 ? new double[] {1, 1.1, 1.2, 1.5, 2, 3, 4, 5, 6, 7, 8, 9} : decades <= 4 ? STEPS : new double[] {1};
            for (int e = (int) Math.floor(Math.log10(min)); e <= (int) Math.ceil(Math.log10(max)); e++) {
                for (double step : steps) {
                    double v = round(step * Math.pow(10, e));
                    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) {
                        ticks.add(v);
                    }
                }
            }
            // The ends are labelled too, unless a tick is so close that the two labels would touch.
            for (double end : new double[] {min, max}) {
                if (ticks.stream().allMatch(t -> Math.abs(fraction(t) - fraction(end)) > 0.06)) {
                    ticks.add(end);
                }
            }
            ticks.sort(Double::compare);
            return ticks;
        }
        double step = niceAtOrAbove((max - min) / 6);
        for (int i = 0; min + i * step <= max * (1 + 1e-9); i++) {
            ticks.add(round(min + i * step));
        }
        return ticks;
    }

    /** "GB/s (log scale)" on a logarithmic axis, the title alone on a linear one. */
    String title(String title) {
        return log ? title + " (log scale)" : title;
    }

    /** The smallest of 1, 2, 5 x 10^k at or above {@code value}. */
    static double niceAtOrAbove(double value) {
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * decade >= value * (1 - 1e-9)) {
                return round(step * decade);
            }
        }
        return round(10 * decade);
    }

    /** {@code value} rounded up (or down) to one significant digit: 21.8 to 30, 0.26 to 0.2. */
    static double oneDigit(double value, boolean up) {
        double decade = Math.pow(10, Math.floor(Math.log10(value)));
        double digit = up ? Math.ceil(value / decade * (1 - 1e-9)) : Math.floor(value / decade * (1 + 1e-9));
        return round(Math.max(digit, 1) * decade);
    }

    private static double round(double value) {
        return new BigDecimal(value).round(new MathContext(6)).doubleValue();
    }

    /** A number with at most three significant digits and no trailing zeros: 0.05, 3.11, 21.8, 1,500. */
    static String plain(double value) {
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
        if (rounded.abs().compareTo(BigDecimal.valueOf(1000)) >= 0) {
            return String.format(Locale.ROOT, "%,d", rounded.longValue());
        }
        return rounded.toPlainString();
    }

    /** Dollars the way a reader says them: $500, $50k, $1.2M. */
    static String dollars(double value) {
        if (Math.abs(value) >= 1e6) {
            return "$" + plain(value / 1e6) + "M";
        }
        if (Math.abs(value) >= 1e3) {
            return "$" + plain(value / 1e3) + "k";
        }
        return "$" + plain(value);
    }

    static final DoubleFunction<String> PLAIN = AxisScale::plain;
    static final DoubleFunction<String> DOLLARS = AxisScale::dollars;
}
