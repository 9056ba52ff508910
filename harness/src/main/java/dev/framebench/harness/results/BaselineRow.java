package dev.framebench.harness.results;

import dev.framebench.harness.jmh.MemoryBaseline;

/**
 * One of the machine's own limits at one frame preset ({@link MemoryBaseline}): frames/s and GB/s of its
 * figure (copy+read's copier), and {@code secondGbps} of the other thread where there is one (copy+read's
 * reader; absent otherwise).
 */
public record BaselineRow(MemoryBaseline baseline, String frame, Estimate framesPerSecond, Estimate gbps, Estimate secondGbps) {
    /** The single-core memcpy baseline, the only one before the memory limits (an older summary.json). */
    public BaselineRow(String frame, Estimate framesPerSecond, Estimate gbps) {
        this(MemoryBaseline.MEMCPY, frame, framesPerSecond, gbps, Estimate.ABSENT);
    }
}
