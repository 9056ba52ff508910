package dev.framebench.harness.browser;

import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * How a page's clock maps to CLOCK_MONOTONIC: {@code monotonicNanos = performance.now() * 1e6 + offsetNanos}.
 * Chromium's {@code performance.now()} is its TimeTicks (CLOCK_MONOTONIC on Linux) less the page's time
 * origin, coarsened (100 us in a page that is not cross-origin isolated), so the offset is one constant for
 * the page's life. It is measured as NTP measures: read {@link System#nanoTime()} before and after the page
 * reads its clock, many times, and keep the probe with the shortest round trip; the page's reading lies
 * between the two JVM readings, so the offset is known to within half that round trip plus the page
 * clock's step, which is {@link #uncertaintyNanos()}.
 *
 * @param offsetNanos      CLOCK_MONOTONIC ns at the page's performance.now() == 0
 * @param uncertaintyNanos half the shortest probe's round trip plus the page clock's step: the offset's error bound
 * @param roundTripNanos   the shortest probe's round trip (JVM -> DevTools pipe -> renderer -> back)
 * @param stepNanos        the smallest step performance.now() took in the page
 */
public record PageClock(long offsetNanos, long uncertaintyNanos, long roundTripNanos, long stepNanos) {
    /** Enough probes that one usually meets an idle pipe and renderer; each costs one DevTools round trip (~0.2-1 ms). */
    static final int PROBES = 40;

    /** Calibrates with {@code pageMillis}, a read of the page's {@code performance.now()}; {@code stepNanos} as the page measured it. */
    static PageClock calibrate(DoubleSupplier pageMillis, long stepNanos) {
        long bestRoundTrip = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < PROBES; i++) {
            long before = System.nanoTime();
            double page = pageMillis.getAsDouble();
            long after = System.nanoTime();
            if (after - before < bestRoundTrip) {
                bestRoundTrip = after - before;
                bestOffset = before + (after - before) / 2 - Math.round(page * 1e6);
            }
        }
        return new PageClock(bestOffset, bestRoundTrip / 2 + stepNanos, bestRoundTrip, stepNanos);
    }

    /** "page clock = CLOCK_MONOTONIC +- 0.152 ms": what a session records beside its results. */
    public String describe() {
        return String.format(Locale.ROOT, "page clock = CLOCK_MONOTONIC +- %.3f ms (round trip %.3f ms, step %.3f ms)",
                uncertaintyNanos / 1e6, roundTripNanos / 1e6, stepNanos / 1e6);
    }
}
