package dev.framebench.harness.report;

/** The single-core memcpy baseline of one frame preset: the yardstick for {@code inproc-copy}. */
public record BaselineRow(String frame, Metric framesPerSecond, Metric gbps) {
}
