package dev.framebench.harness.peer;

import dev.framebench.frame.FramePool;
import dev.framebench.transport.FrameSender;

import java.time.Duration;

/**
 * Sends one stream as fast as the transport takes it: stamps the next pooled frame with its sequence and
 * the time of sending, and hands it to the transport. Runs until {@link #stop()}, or {@code maxFrames}
 * (0 = no limit). The sender's clock is {@link System#nanoTime()}, CLOCK_MONOTONIC on Linux, so the
 * receiver on the same host can subtract it from its own.
 *
 * <p>Threading: {@link #run()} on one thread; {@link #stop()} and the counters from any.
 */
public final class SendLoop implements SenderLoop {
    private final FrameSender sender;
    private final FramePool pool;
    private final int streamId;
    private final long maxFrames;
    private final long timeoutNanos;
    private volatile boolean stopRequested;
    private volatile long framesSent;
    private volatile long bytesSent;

    public SendLoop(FrameSender sender, FramePool pool, int streamId, long maxFrames, Duration timeout) {
        this.sender = sender;
        this.pool = pool;
        this.streamId = streamId;
        this.maxFrames = maxFrames;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void run() {
        final FrameSender sender = this.sender;
        final long frameBytes = pool.preset().frameBytes();
        long sequence = 0;
        while (!stopRequested && (maxFrames == 0 || sequence < maxFrames)) {
            long now = System.nanoTime();
            SenderFrames.send(sender, pool, streamId, sequence, now, now + timeoutNanos);
            sequence++;
            // Volatile stores, once per multi-megabyte frame: the control thread reports them.
            framesSent = sequence;
            bytesSent = sequence * frameBytes;
        }
    }

    @Override
    public void stop() {
        stopRequested = true;
    }

    @Override
    public long framesSent() {
        return framesSent;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long framesBehind() {
        return 0;
    }
}
