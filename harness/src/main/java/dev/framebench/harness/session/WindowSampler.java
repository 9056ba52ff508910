package dev.framebench.harness.session;

import java.util.function.Supplier;

/**
 * Samples a trial, and keeps the sample taken as it began to close. JMH tears a trial down inside its
 * last iteration, before the profilers read that iteration's end, and a sender that has exited can no
 * longer be sampled: so from {@link #freeze()} on, {@link #sample()} returns the closing sample.
 *
 * @implSpec {@link #sample()} from any thread; {@link #freeze()} once, by the closing thread.
 */
final class WindowSampler {
    private final Supplier<WindowSample> now;
    private volatile WindowSample closing;

    WindowSampler(Supplier<WindowSample> now) {
        this.now = now;
    }

    WindowSample sample() {
        WindowSample frozen = closing;
        return frozen != null ? frozen : now.get();
    }

    /** Takes the closing sample, unless a side can no longer be read (the run has failed anyway). */
    void freeze() {
        if (closing == null) {
            try {
                closing = now.get();
            } catch (RuntimeException e) {
                // A sender is already gone: there is no window to report.
            }
        }
    }
}
