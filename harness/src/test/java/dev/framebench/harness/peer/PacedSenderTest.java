package dev.framebench.harness.peer;

import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A paced sender JVM keeps its schedule: every frame of every stream carries the time it was due, and
 * consecutive frames' intended times differ by exactly one interval, whether or not the receiver reads
 * them on time (here it reads one stream after the other, so the second one is held back by a full
 * socket buffer for a while).
 */
class PacedSenderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int FRAMES = 40;

    @Test
    void framesCarryIntendedSendTimesExactlyOneIntervalApart() {
        Transport tcp = TransportRegistry.byName("tcp");
        PacedSchedule schedule = PacedSchedule.ofFps("100");
        assertEquals(10_000_000, schedule.intervalNanos());
        List<FrameReceiver> receivers = new ArrayList<>();
        PeerProcess peer = null;
        try {
            for (int i = 0; i < 2; i++) {
                receivers.add(tcp.openReceiver(TransportOptions.NONE));
            }
            peer = PeerProcess.launch("paced sender", SenderPeer.class, SenderPeer.arguments("tcp",
                    receivers.stream().map(FrameReceiver::endpoint).toList(), "720p-i420", "", schedule, 0, 2, TIMEOUT));
            peer.await(ControlProtocol.READY, Deadline.after(TIMEOUT));
            for (FrameReceiver r : receivers) {
                r.awaitSender(Deadline.after(TIMEOUT));
            }
            peer.command(ControlProtocol.START);
            for (int stream = 0; stream < 2; stream++) {
                FrameReceiver receiver = receivers.get(stream);
                FrameVerifier verifier = new FrameVerifier();
                long previousSendTime = 0;
                for (long sequence = 0; sequence < FRAMES; sequence++) {
                    MemorySegment frame = receiver.receive(Deadline.after(TIMEOUT));
                    long receivedNanos = System.nanoTime();
                    verifier.verify(frame);
                    assertEquals(stream, FrameHeader.streamId(frame));
                    assertEquals(sequence, FrameHeader.sequence(frame));
                    long sendTime = FrameHeader.sendTimeNanos(frame);
                    assertTrue(sendTime <= receivedNanos, "a frame cannot arrive before it was due");
                    if (sequence > 0) {
                        assertEquals(schedule.intervalNanos(), sendTime - previousSendTime,
                                "stream " + stream + " frame " + sequence + ": intended times must advance by exactly one interval");
                    }
                    previousSendTime = sendTime;
                    receiver.release();
                }
            }
            peer.command(ControlProtocol.STOP);
            for (FrameReceiver receiver : receivers) {
                while (receiver.receive(Deadline.after(TIMEOUT)) != null) {
                    receiver.release();
                }
            }
            SenderStats stats = SenderStats.parse(peer.await(ControlProtocol.STATS, Deadline.after(TIMEOUT)));
            assertTrue(stats.frames() >= 2L * FRAMES, stats.toString());
            assertEquals(stats.frames() * FramePreset.P720_I420.frameBytes(), stats.bytes(), stats.toString());
            peer.await(ControlProtocol.BYE, Deadline.after(TIMEOUT));
            assertEquals("exited with status 0", peer.exitDescription(10_000));
        } finally {
            if (peer != null) {
                peer.close(0);
            }
            receivers.forEach(FrameReceiver::close);
        }
    }
}
