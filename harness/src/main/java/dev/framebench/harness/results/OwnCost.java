package dev.framebench.harness.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * framebench's own cost per frame at one frame preset: the {@code null} transport's CPU per frame (the send
 * loop's stamp, a one-slot hand-off, the accounting, and the consume mode's read), and its share of what the
 * cheapest copying transport of the run spends on the same frame. It says how much of every row is the harness
 * rather than the transport; it is not a transport, and is never ranked with them.
 *
 * @param frame          the frame preset
 * @param consume        the run's consume mode: with {@code read} or {@code verify} the cost includes reading the frame,
 *                       which is the receiver's work rather than framebench's; {@code none} leaves framebench's alone
 * @param microsPerFrame the null row's CPU microseconds per frame, both sides
 * @param reference      the inter-process transport of this frame that copies and spends the least CPU per GB; null when none ran
 */
public record OwnCost(String frame, String consume, Estimate microsPerFrame, BenchmarkRow reference) {
    /** The reference's CPU microseconds per frame; absent without a reference. */
    public Estimate referenceMicrosPerFrame() {
        return reference == null ? Estimate.ABSENT : reference.cpuMicrosPerFrame();
    }

    /** The null row's cost over the reference's, a fraction; NaN without a reference. */
    public double share() {
        return microsPerFrame.score() / referenceMicrosPerFrame().score();
    }

    /**
     * One line: {@code framebench's own cost: 0.41 us/frame = 0.08% of shm-agrona's 512 us/frame (1080p-i420)}, and where the run
     * read its frames, that the read is in both figures: {@code (1080p-i420, consume=read: the read included)}.
     *
     * @param micro the symbol of a microsecond: "us" for a terminal in the C locale, "µs" for Markdown
     */
    public String line(String micro) {
        String own = String.format(Locale.ROOT, "framebench's own cost: %s %s/frame", digits(microsPerFrame.score()), micro);
        String where = frame + (consume.equals("none") ? "" : ", consume=" + consume + ": the read included");
        if (reference == null || !referenceMicrosPerFrame().present()) {
            return own + " (" + where + "; no copying transport between two processes in this run to compare it with)";
        }
        return own + String.format(Locale.ROOT, " = %s%% of %s's %s %s/frame (%s)", digits(100 * share()), reference.transport(),
                digits(referenceMicrosPerFrame().score()), micro, where);
    }

    /** Two significant digits below 10, whole numbers above: 0.41, 0.083, 512. */
    static String digits(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
