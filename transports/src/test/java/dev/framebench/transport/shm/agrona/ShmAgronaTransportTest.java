package dev.framebench.transport.shm.agrona;

import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** shm-agrona's own edges, on real mappings of /dev/shm; frames across two JVMs are the conformance suite's. */
class ShmAgronaTransportTest {
    private static final ShmAgronaTransport SHM = new ShmAgronaTransport();
    private static final FramePreset PRESET = FramePreset.P720_I420;

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spin", "yield", "backoff", "futex"})
    void carriesFramesAcrossTheRingsWrapAndEndsCleanlyInEveryIdleMode(String idle) throws Exception {
        TransportOptions options = TransportOptions.parse("idle=" + idle);
        int frames = 30; // a 16 MiB ring holds 12 of these: the stream wraps twice, through padding records
        try (FrameReceiver receiver = SHM.openReceiver(options, PRESET.frameBytes()); FramePool pool = new FramePool(PRESET, 3)) {
            assertEquals(Map.of("idle", idle, "shm.ringBytes", "16777216", "maxRecordBytes", "2097152"), receiver.describe());
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = SHM.openSender(receiver.endpoint(), options)) {
                    for (long seq = 0; seq < frames; seq++) {
                        sender.send(pool.stamp(0, seq, seq), seconds(10));
                    }
                }
            });
            receiver.awaitSender(seconds(10));
            FrameVerifier verifier = new FrameVerifier();
            for (long seq = 0; seq < frames; seq++) {
                MemorySegment frame = receiver.receive(seconds(10));
                verifier.verify(frame);
                assertEquals(seq, FrameHeader.sequence(frame));
                assertTrue(frame.isReadOnly());
                receiver.release();
            }
            assertNull(receiver.receive(seconds(10)), "end of stream after the last frame");
            assertNull(receiver.receive(seconds(10)), "and it stays ended");
            sent.get();
        }
    }

    @Test
    void claimHandsOutTheRecordInTheMappingAndCommitPublishesIt() {
        try (FrameReceiver receiver = SHM.openReceiver(TransportOptions.NONE, PRESET.frameBytes());
             FramePool pool = new FramePool(PRESET, 1);
             FrameSender sender = SHM.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            receiver.awaitSender(seconds(10));
            MemorySegment claimed = sender.claim(PRESET.frameBytes(), seconds(10));
            claimed.copyFrom(pool.stamp(0, 0, 0));
            sender.commit();
            MemorySegment received = receiver.receive(seconds(10));
            new FrameVerifier().verify(received);
            // Two mappings of one file: a byte written through the sender's shows through the receiver's view.
            claimed.set(ValueLayout.JAVA_BYTE, FrameHeader.LENGTH, (byte) ~received.get(ValueLayout.JAVA_BYTE, FrameHeader.LENGTH));
            assertEquals(claimed.get(ValueLayout.JAVA_BYTE, FrameHeader.LENGTH), received.get(ValueLayout.JAVA_BYTE, FrameHeader.LENGTH),
                    "the receiver reads the very bytes the sender wrote: no copy");
        }
    }

    @Test
    void rejectsFrameLargerThanRing() {
        try (FrameReceiver receiver = SHM.openReceiver(TransportOptions.NONE, 1_000);
             FrameSender sender = SHM.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            BadInputException e = assertThrows(BadInputException.class, () -> sender.claim(PRESET.frameBytes(), seconds(10)));
            assertEquals("frame does not fit ring: frameBytes=1382464 maxRecordBytes=1024; raise shm.ringBytes to >= 16777216", e.getMessage());
        }
    }

    @Test
    void rejectsARingTooSmallForTheLargestFrameAtOpen() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SHM.openReceiver(TransportOptions.parse("shm.ringBytes=33554432"), FramePreset.P1080_RGBA.frameBytes()));
        assertEquals("frame does not fit ring: frameBytes=8294464 maxRecordBytes=4194304; raise shm.ringBytes to >= 67108864", e.getMessage());
    }

    @Test
    void rejectsARingSizeThatIsNotAPowerOfTwo() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SHM.openReceiver(TransportOptions.parse("shm.ringBytes=50000000"), PRESET.frameBytes()));
        assertEquals("bad value for option shm.ringBytes: shm.ringBytes=50000000; allowed: a power of two from 4096 to 1073741824", e.getMessage());
    }

    @Test
    void refusesASecondSenderWithoutDisturbingTheFirst() throws Exception {
        try (FrameReceiver receiver = SHM.openReceiver(TransportOptions.NONE, PRESET.frameBytes()); FramePool pool = new FramePool(PRESET, 2)) {
            FrameSender first = SHM.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            TransportException e = assertThrows(TransportException.class, () -> SHM.openSender(receiver.endpoint(), TransportOptions.NONE));
            assertEquals("shm-agrona ring " + receiver.endpoint() + " already has a sender (pid " + ProcessHandle.current().pid()
                    + "); a second one is refused", e.getMessage());
            first.send(pool.stamp(0, 0, 0), seconds(10));
            first.close();
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
        }
    }

    @Test
    void createsAPrivateRingFileAndRemovesItOnClose() throws Exception {
        Path file;
        try (FrameReceiver receiver = SHM.openReceiver(TransportOptions.NONE, PRESET.frameBytes())) {
            file = Path.of(receiver.endpoint());
            assertEquals(ShmFiles.DEFAULT_DIR, file.getParent());
            assertTrue(file.getFileName().toString().startsWith("framebench-agrona-" + ProcessHandle.current().pid() + "-"), file.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(RingFileDescriptor.fileBytes(16 << 20), Files.size(file));
            SHM.openSender(receiver.endpoint(), TransportOptions.NONE).close();
        }
        assertFalse(Files.exists(file));
        assertEquals(List.of(), ShmLeftovers.ofThisProcess());
    }

    @Test
    void honoursTheShmDirOption(@TempDir Path dir) {
        try (FrameReceiver receiver = SHM.openReceiver(TransportOptions.parse("shm.dir=" + dir), PRESET.frameBytes())) {
            assertEquals(dir, Path.of(receiver.endpoint()).getParent());
        }
    }

    @Test
    void reportsASenderThatDiesWithoutClosing() throws Exception {
        try (FrameReceiver receiver = SHM.openReceiver(TransportOptions.parse("idle=futex"), SenderJvm.PRESET.frameBytes());
             SenderJvm sender = SenderJvm.start("shm-agrona", receiver.endpoint(), 3)) {
            receiver.awaitSender(seconds(30));
            sender.awaitSent();
            sender.kill();
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i < 3; i++) {
                verifier.verify(receiver.receive(seconds(30)));
                receiver.release();
            }
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(30)));
            assertEquals("shm-agrona sender pid " + sender.pid() + " died without closing the stream (ring " + receiver.endpoint() + ")",
                    e.getMessage());
        }
    }

    @Test
    void rejectsAnEndpointThatIsNotARing(@TempDir Path dir) throws IOException {
        Path notARing = Files.write(dir.resolve("not-a-ring"), new byte[4096]);
        BadInputException e = assertThrows(BadInputException.class, () -> SHM.openSender(notARing.toString(), TransportOptions.NONE));
        assertEquals("not an shm-agrona ring: " + notARing + " (4096 bytes is not a power of two plus the 5888 bytes of trailer and control area)",
                e.getMessage());
        Path missing = dir.resolve("missing");
        e = assertThrows(BadInputException.class, () -> SHM.openSender(missing.toString(), TransportOptions.NONE));
        assertEquals("no shm-agrona ring at " + missing + "; start the receiver first and pass its endpoint", e.getMessage());
    }
}
