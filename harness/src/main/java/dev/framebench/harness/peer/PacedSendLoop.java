package dev.framebench.harness.peer;

import dev.framebench.frame.FramePool;
import dev.framebench.transport.FrameSender;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one stream at a fixed rate, as real-logic/benchmarks' {@code LoadTestRig} does: the <em>intended</em>
 * send time advances by exactly one interval per frame, whatever happened, and is what the frame carries
 * in {@code sendTimeNanos}. A sender held up by back-pressure (a stalled receiver, a full socket buffer)
 * does not skip or re-base its schedule: it sends the overdue frames back to back, each still stamped
 * with the time it was due, so the receiver's {@code receive time - sendTimeNanos} includes the wait the
 * stall caused. Measuring from the actual send instant instead would hide it (coordinated omission).
 *
 * <p>Waiting for the next frame parks until {@link #SPIN_NANOS} before it is due, then spins: a park
 * alone overshoots by the kernel's timer slack (50 us by default), which would show up as latency that
 * no transport caused. Spinning that long costs 30 x 50 us = 0.15% of a core at 30 fps.
 *
 * <p>Threading: {@link #run()} on one thread; {@link #stop()} and the counters from any.
 */
public final class PacedSendLoop implements SenderLoop {
    static final long SPIN_NANOS = 50_000;

    private final FrameSender sender;
    private final FramePool pool;
    private final int streamId;
    private final PacedSchedule schedule;
    private final long phaseNanos;
    private final long maxFrames;
    private final long timeoutNanos;
    private volatile Thread runner;
    private volatile boolean stopRequested;
    private volatile long framesSent;
    private volatile long framesBehind;

    /**
     * @param phaseNanos delay of this stream's first frame after {@link #run()} starts (staggering)
     * @param maxFrames  frames to send before returning, 0 = until {@link #stop()}
     */
    public PacedSendLoop(FrameSender sender, FramePool pool, int streamId, PacedSchedule schedule, long phaseNanos,
                         long maxFrames, Duration timeout) {
        this.sender = sender;
        this.pool = pool;
        this.streamId = streamId;
        this.schedule = schedule;
        this.phaseNanos = phaseNanos;
        this.maxFrames = maxFrames;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        final FrameSender sender = this.sender;
        final long intervalNanos = schedule.intervalNanos();
        long intendedNanos = System.nanoTime() + phaseNanos;
        long sequence = 0;
        while (!stopRequested && (maxFrames == 0 || sequence < maxFrames)) {
            if (!awaitDue(intendedNanos)) {
                break;
            }
            SenderFrames.send(sender, pool, streamId, sequence, intendedNanos, System.nanoTime() + timeoutNanos);
            sequence++;
            framesSent = sequence;
            if (System.nanoTime() - intendedNanos > intervalNanos) {
                // Sent after the next frame was already due: the transport is holding this stream back.
                framesBehind++;
            }
            intendedNanos += intervalNanos;
        }
    }

    /** Waits until {@code dueNanos}; false when asked to stop meanwhile. */
    private boolean awaitDue(long dueNanos) {
        long remaining;
        while ((remaining = dueNanos - System.nanoTime()) > SPIN_NANOS) {
            LockSupport.parkNanos(this, remaining - SPIN_NANOS);
            if (stopRequested) {
                return false;
            }
        }
        while (dueNanos - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
        return !stopRequested;
    }

    @Override
    public void stop() {
        stopRequested = true;
        Thread current = runner;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    @Override
    public long framesSent() {
        return framesSent;
    }

    /** Frames whose send completed more than one interval after they were due (the sender was behind schedule). */
    @Override
    public long framesBehind() {
        return framesBehind;
    }

    @Override
    public long bytesSent() {
        return framesSent * pool.preset().frameBytes();
    }
}
