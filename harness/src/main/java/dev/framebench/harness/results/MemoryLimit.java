package dev.framebench.harness.results;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.harness.jmh.MemoryBaseline;

import java.util.List;
import java.util.Optional;

/**
 * The machine's limit that applies to one transport row, and the row's GB/s over it. The limit is the baseline's
 * best fork, not the centre of its forks: a limit is what the machine can do, and on a virtual machine each fork
 * (a new JVM, new memory) lands in memory of its own speed: two consecutive forks of the read-only baseline at
 * 720p-i420 read 12.8 and 22.2 GB/s on the 2-core Intel Xeon guest, with nothing else running. Held to the
 * centre of such forks, a transport whose forks landed in the faster memory would beat "the limit" without any
 * fault of measurement. The ratio is the row's figure (its centre and interval) over that best fork. Which limit applies follows from what the transport copies and what the
 * receiver reads ({@link #applying}); a row whose transport is not on the class path, or whose run did not
 * measure that baseline, has {@link #NONE}.
 *
 * @param baseline the baseline the row is held to; null for none
 * @param gbps     that baseline's GB/s at the row's frame: its best fork
 * @param ratio    the row's GB/s over {@code gbps}: at most 1 for a sound measurement
 */
public record MemoryLimit(MemoryBaseline baseline, Estimate gbps, Estimate ratio) {
    public static final MemoryLimit NONE = new MemoryLimit(null, Estimate.ABSENT, Estimate.ABSENT);

    public boolean present() {
        return baseline != null;
    }

    /** The limit of {@code baseline} whose forks measured {@code baselineGbps}, and {@code rowGbps} over it. */
    public static MemoryLimit of(MemoryBaseline baseline, Estimate baselineGbps, Estimate rowGbps) {
        double best = baselineGbps.forkMeans().stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max()
                .orElse(baselineGbps.score());
        Estimate limit = new Estimate(best, Double.NaN, best, best, List.of(best));
        return new MemoryLimit(baseline, limit, Double.isFinite(best) && best > 0 ? rowGbps.times(1 / best) : Estimate.ABSENT);
    }

    /** The limit's name ({@code copy+read}), or "-" for none. */
    public String name() {
        return baseline == null ? "-" : baseline.limitName();
    }

    /**
     * True when the row went faster than the memory it moves through allows: not a fast transport but a measurement
     * to investigate (a window that lost time, counted bytes that did not move, a baseline run on a busier machine).
     * With an interval over forks the whole interval must lie above 1: a centre of 1.004 with forks from 0.88 to 1.14
     * (inproc-handoff at 1080p-i420, 3 forks, on the Intel Xeon guest) is a transport at its limit, not beyond it.
     */
    public boolean aboveLimit() {
        return ratio.present() && (ratio.hasInterval() ? ratio.low() > 1.0 : ratio.score() > 1.0);
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
