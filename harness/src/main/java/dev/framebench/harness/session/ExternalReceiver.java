package dev.framebench.harness.session;

import dev.framebench.harness.accounting.ProcessTree;
import dev.framebench.transport.FrameReceiver;

/**
 * A receiver that runs in processes of its own rather than in this JVM (the seed's Python receiver): its
 * {@link #receive(long) frames} are receipts (the header the receiver saw, sized as the frame it consumed
 * there), and the receiver's CPU and memory are those processes', not this JVM's.
 */
public interface ExternalReceiver extends FrameReceiver {
    /** The receiver's processes, read as one for {@code cpu.receiver} and {@code rss.receiver}. */
    ProcessTree processes();

    /**
     * CLOCK_MONOTONIC (ns) when the frame of the last {@link #receive(long) receipt} arrived in the receiver's
     * process: a paced stream's latency ends there, not when the receipt reached this JVM.
     */
    long receivedNanos();
}
