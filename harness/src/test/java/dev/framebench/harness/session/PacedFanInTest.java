package dev.framebench.harness.session;

import dev.framebench.harness.peer.Topology;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paced streams from several sender JVMs fan in to one many-producer ring and one receiving thread, every stream whole. */
class PacedFanInTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void streamsOfSeveralSenderJvmsFanInToOneRingWithNothingDropped() {
        int streams = 3;
        long wanted = 60;
        WindowSample sample;
        PacedSession session = PacedSession.open(TransportRegistry.byName("shm-agrona-mpsc"), FramePreset.P720_I420,
                TransportOptions.parse("idle=futex"), ConsumeMode.VERIFY, streams, PacedSchedule.ofFps("60"), Topology.PROCESS_PER_STREAM,
                Receivers.FAN_IN, TIMEOUT, ReceiverStall.NONE);
        try {
            assertEquals(streams, session.senderProcesses());
            while (session.sample().frames() < wanted) {
                session.awaitArrival();
            }
            sample = session.sample();
        } finally {
            session.close();
        }
        assertEquals(0, sample.dropped(), "every stream in order through one ring: " + sample);
        assertTrue(session.intervalHistogram().getTotalCount() >= wanted);
        assertNotNull(session.senderStats(), "every sender JVM stopped cleanly (STATS and BYE from each)");
        assertTrue(session.senderStats().frames() > 0, session.senderStats().toString());
    }

    @Test
    void fanInOverATransportWithOneSenderPerReceiverFailsWithOneLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> Receivers.FAN_IN.requireSupportedBy(TransportRegistry.byName("tcp")));
        assertEquals("tcp has one sender per receiver, so receivers=fan-in does not apply; use a many-producer transport (shm-agrona-mpsc)"
                + " or receivers=per-stream", e.getMessage());
    }
}
