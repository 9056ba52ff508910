package dev.framebench.harness.peer;

/**
 * One stream's send loop, as fast as the transport takes it ({@link SendLoop}) or on a fixed schedule
 * ({@link PacedSendLoop}): what a sender side starts, stops and reads counters from.
 *
 * @implSpec {@link #run()} on one thread; {@link #stop()} and the counters from any thread.
 */
public interface SenderLoop extends Runnable {
    /** Asks the loop to finish the frame in hand and return. */
    void stop();

    long framesSent();

    long bytesSent();

    /** Frames sent more than one interval after they were due; 0 for a loop with no schedule. */
    long framesBehind();
}
