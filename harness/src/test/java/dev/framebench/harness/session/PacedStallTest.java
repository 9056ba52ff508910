package dev.framebench.harness.session;

import dev.framebench.harness.peer.Topology;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiver that stalls shows as the latency the stall caused, not as a lower rate: the sender JVM
 * keeps its schedule, the frames that came due during the stall arrive late but all arrive, each
 * stamped with the time it was due. The bounds follow from causality alone (a frame due during the
 * stall cannot be received before the stall ends), so they hold on any machine, however loaded.
 */
class PacedStallTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long STALL_MILLIS = 600;
    private static final long STALL_AFTER_SEQUENCE = 10;

    @Test
    void stalledReceiverShowsAsHighLatencyNotAsALowerRate() {
        PacedSchedule schedule = PacedSchedule.ofFps("50");
        long intervalNanos = schedule.intervalNanos();
        long framesDueDuringStall = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS) / intervalNanos;
        long wanted = STALL_AFTER_SEQUENCE + framesDueDuringStall + 20;
        Histogram latencies = new Histogram(3_600_000_000_000L, 3);
        WindowSample sample;
        PacedSession session = PacedSession.open(TransportRegistry.byName("tcp"), FramePreset.P720_I420, TransportOptions.NONE,
                ConsumeMode.VERIFY, 1, schedule, Topology.PROCESS_PER_STREAM, TIMEOUT, ReceiverStall.once(STALL_AFTER_SEQUENCE, STALL_MILLIS));
        try {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (session.sample().frames() < wanted) {
                assertTrue(System.nanoTime() < deadline, "frames stopped arriving: " + session.sample());
                session.awaitArrival();
            }
            sample = session.sample();
        } finally {
            session.close();
        }
        latencies.add(session.intervalHistogram());
        assertEquals(0, sample.dropped(), "every frame arrives, in order: " + sample);
        assertTrue(latencies.getTotalCount() >= wanted, "one latency per frame received: " + latencies.getTotalCount());
        // The frame after the stalled one was due one interval after it, and arrived only after the stall.
        long minimumMaxNanos = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS) - intervalNanos;
        assertTrue(latencies.getMaxValue() >= minimumMaxNanos * 0.999,
                "max latency " + latencies.getMaxValue() + " ns must include the " + STALL_MILLIS + " ms stall");
        // Every frame due during the stall, bar the last two, waited more than one interval: late, not missing.
        assertTrue(sample.late() >= framesDueDuringStall - 2, "late frames " + sample.late() + ", due during the stall " + framesDueDuringStall);
    }
}
