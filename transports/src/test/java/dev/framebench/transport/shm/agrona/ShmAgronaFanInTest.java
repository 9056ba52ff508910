package dev.framebench.transport.shm.agrona;

import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** shm-agrona-mpsc: several senders fan in to one receiver through one ManyToOneRingBuffer, each stream whole and in order. */
class ShmAgronaFanInTest {
    private static final ShmAgronaMpscTransport MPSC = new ShmAgronaMpscTransport();
    private static final FramePreset PRESET = FramePreset.P720_I420;
    private static final int STREAMS = 3;
    private static final int FRAMES = 40;

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spin", "backoff", "futex"})
    void everySendersFramesArriveInOrderAndTheStreamEndsWhenAllHaveClosed(String idle) throws Exception {
        TransportOptions options = TransportOptions.parse("idle=" + idle);
        try (FrameReceiver receiver = MPSC.openReceiver(options, PRESET.frameBytes())) {
            List<FrameSender> senders = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                senders.add(MPSC.openSender(receiver.endpoint(), options));
            }
            receiver.awaitSender(seconds(10));
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int s = 0; s < STREAMS; s++) {
                int stream = s;
                FrameSender sender = senders.get(s);
                sent.add(CompletableFuture.runAsync(() -> {
                    try (sender; FramePool pool = new FramePool(PRESET, 2)) {
                        for (long seq = 0; seq < FRAMES; seq++) {
                            sender.send(pool.stamp(stream, seq, seq), seconds(10));
                        }
                    }
                }));
            }
            FrameVerifier verifier = new FrameVerifier();
            long[] next = new long[STREAMS];
            MemorySegment frame;
            while ((frame = receiver.receive(seconds(10))) != null) {
                verifier.verify(frame);
                int stream = FrameHeader.streamId(frame);
                assertEquals(next[stream]++, FrameHeader.sequence(frame), "stream " + stream + " in order");
                receiver.release();
            }
            long[] all = new long[STREAMS];
            java.util.Arrays.fill(all, FRAMES);
            assertArrayEquals(all, next, "every frame of every stream, then end of stream");
            for (CompletableFuture<Void> f : sent) {
                f.get();
            }
        }
    }

    @Test
    void aOneProducerSenderIsRefusedByAManyProducerRingWithOneLine() {
        try (FrameReceiver receiver = MPSC.openReceiver(TransportOptions.NONE, PRESET.frameBytes())) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> new ShmAgronaTransport().openSender(receiver.endpoint(), TransportOptions.NONE));
            assertEquals("not an shm-agrona ring: " + receiver.endpoint() + " (a many-producer ring: send with shm-agrona-mpsc)", e.getMessage());
            assertTrue(MPSC.fanIn());
        }
    }
}
