package dev.framebench.transport.inproc;

import dev.framebench.frame.FramePool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class InprocChannelTest {
    @Test
    void handoffNeverRestampsAFrameStillInFlight() {
        // DEPTH queued plus one held by the receiver: the pool must be larger, or a reference handed over
        // would be re-stamped while the receiver still reads it.
        assertTrue(FramePool.DEFAULT_FRAMES >= InprocChannel.DEPTH + 2,
                "FramePool.DEFAULT_FRAMES=" + FramePool.DEFAULT_FRAMES + " InprocChannel.DEPTH=" + InprocChannel.DEPTH);
    }
}
