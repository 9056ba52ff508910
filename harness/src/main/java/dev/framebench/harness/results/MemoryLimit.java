package dev.framebench.harness.results;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.harness.jmh.MemoryBaseline;

import java.util.Optional;

/**
 * The machine's limit that applies to one transport row, and the row's GB/s over it (fork by fork,
 * {@link Estimate#perForkRatio}). Which limit applies follows from what the transport copies and what the
 * receiver reads ({@link #applying}); a row whose transport is not on the class path, or whose run did not
 * measure that baseline, has {@link #NONE}.
 *
 * @param baseline the baseline the row is held to; null for none
 * @param gbps     that baseline's GB/s at the row's frame
 * @param ratio    the row's GB/s over {@code gbps}: at most 1 for a sound measurement
 */
public record MemoryLimit(MemoryBaseline baseline, Estimate gbps, Estimate ratio) {
    public static final MemoryLimit NONE = new MemoryLimit(null, Estimate.ABSENT, Estimate.ABSENT);

    public boolean present() {
        return baseline != null;
    }

    /** The limit's name ({@code copy+read}), or "-" for none. */
    public String name() {
        return baseline == null ? "-" : baseline.limitName();
    }

    /**
     * True when the row went faster than the memory it moves through allows: not a fast transport but a measurement
     * to investigate (a window that lost time, counted bytes that did not move, a baseline run on a busier machine).
     */
    public boolean aboveLimit() {
        return ratio.present() && ratio.score() > 1.0;
    }

    /**
     * The rule of docs/METHOD.md: a transport that copies each frame ({@code copiesPerFrame >= 1}) is held to
     * copy+read when its receiver reads (consume read or verify) and to the single-core memcpy when it reads
     * nothing (consume none: no reader shares the memory); one that copies nothing is held to read-only when
     * its receiver reads, and to no memory limit when it does not (the header alone bounds nothing).
     * Unknown copies (negative) or consume mode: none.
     */
    public static Optional<MemoryBaseline> applying(int copiesPerFrame, String consume) {
        ConsumeMode mode;
        try {
            mode = ConsumeMode.byName(consume);
        } catch (RuntimeException unknown) {
            return Optional.empty();
        }
        boolean reads = mode != ConsumeMode.NONE;
        if (copiesPerFrame >= 1) {
            return Optional.of(reads ? MemoryBaseline.COPY_READ : MemoryBaseline.MEMCPY);
        }
        if (copiesPerFrame == 0 && reads) {
            return Optional.of(MemoryBaseline.READ_ONLY);
        }
        return Optional.empty();
    }
}
