package dev.framebench.harness.results;

/** The single-core memcpy baseline of one frame preset: the yardstick for {@code inproc-copy}. */
public record BaselineRow(String frame, Estimate framesPerSecond, Estimate gbps) {
}
