package dev.framebench.harness.session;

import java.util.concurrent.TimeUnit;

/**
 * A deliberate stall of the receiving thread after a given frame, for tests that show a stall as the
 * latency it causes. {@link #NONE} in every benchmark.
 */
@FunctionalInterface
public interface ReceiverStall {
    ReceiverStall NONE = (streamId, sequence) -> { };

    /** Called on the receiving thread after frame {@code sequence} of {@code streamId} was released. */
    void afterFrame(int streamId, long sequence);

    /** Sleeps {@code millis} once, after frame {@code sequence} of every stream. */
    static ReceiverStall once(long sequence, long millis) {
        return (streamId, seq) -> {
            if (seq == sequence) {
                try {
                    TimeUnit.MILLISECONDS.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
