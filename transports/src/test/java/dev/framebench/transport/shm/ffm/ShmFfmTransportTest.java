package dev.framebench.transport.shm.ffm;

import dev.framebench.frame.FramePreset;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.CAPACITY_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.CONSUMER_PID_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEADER_BYTES_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.MAGIC_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.PRODUCER_CLOSED_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.PRODUCER_PID_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.VERSION_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmFfmTransportTest {
    private final ShmFfmTransport transport = new ShmFfmTransport();

    @Test
    void createsAPrivateRingFileInDevShmAndRemovesItOnClose() throws Exception {
        FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("shm.ringBytes=65536"), 1024);
        Path file = Path.of(receiver.endpoint());
        try {
            assertEquals(ShmFiles.DEFAULT_DIR, file.getParent());
            assertTrue(file.getFileName().toString().startsWith("framebench-ffm-" + ProcessHandle.current().pid() + "-"), file.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(4096 + 65536, Files.size(file));
        } finally {
            receiver.close();
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void writesAHeaderAForeignProducerCanCheck(@TempDir Path dir) {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("shm.dir=" + dir + ";shm.ringBytes=8192"), 1024);
             RawRing raw = new RawRing(receiver.endpoint())) {
            byte[] magic = {(byte) raw.headerInt(MAGIC_OFFSET), (byte) (raw.headerInt(MAGIC_OFFSET) >> 8),
                    (byte) (raw.headerInt(MAGIC_OFFSET) >> 16), (byte) (raw.headerInt(MAGIC_OFFSET) >> 24)};
            assertArrayEquals("FBRG".getBytes(StandardCharsets.US_ASCII), magic);
            assertEquals(1, raw.headerInt(VERSION_OFFSET));
            assertEquals(4096, raw.headerInt(HEADER_BYTES_OFFSET));
            assertEquals(8192, raw.headerLong(CAPACITY_OFFSET));
            assertEquals(ProcessHandle.current().pid(), raw.headerLong(CONSUMER_PID_OFFSET));
            assertEquals(0, raw.headerLong(PRODUCER_PID_OFFSET), "no producer yet");

            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            assertEquals(ProcessHandle.current().pid(), raw.headerLong(PRODUCER_PID_OFFSET));
            assertEquals(0, raw.headerInt(PRODUCER_CLOSED_OFFSET));
            sender.close();
            assertEquals(1, raw.headerInt(PRODUCER_CLOSED_OFFSET));
        }
    }

    @Test
    void sizesTheRingForFourOfTheLargestFramesAndDescribesHowItRuns(@TempDir Path dir) {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("shm.dir=" + dir + ";idle=futex"),
                FramePreset.P1080_I420.frameBytes())) {
            assertEquals("futex", receiver.describe().get("idle"));
            assertEquals(Integer.toString(16 << 20), receiver.describe().get("ringBytes"));
            assertEquals(Integer.toString((8 << 20) - 64), receiver.describe().get("maxFrameBytes"));
            assertEquals(receiver.endpoint(), receiver.describe().get("file"));
        }
    }

    @Test
    void sizesTheRingInFramesTheSameWayAtEveryPreset(@TempDir Path dir) {
        // 1080p-i420 records are 3,110,464 bytes plus the record header: 8 of them need 24.9 MB, so 32 MiB; 2 need 8 MiB.
        for (String[] c : new String[][] {{"8", Integer.toString(32 << 20)}, {"2", Integer.toString(8 << 20)}}) {
            try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("shm.dir=" + dir + ";shm.ringFrames=" + c[0]),
                    FramePreset.P1080_I420.frameBytes())) {
                assertEquals(c[1], receiver.describe().get("ringBytes"), "shm.ringFrames=" + c[0]);
            }
        }
        BadInputException both = assertThrows(BadInputException.class, () -> transport.validate(
                TransportOptions.parse("shm.ringFrames=4;shm.ringBytes=65536"), 1024));
        assertEquals("options shm.ringBytes=65536 and shm.ringFrames=4 both size the ring; give one of them", both.getMessage());
        BadInputException one = assertThrows(BadInputException.class, () -> transport.validate(TransportOptions.parse("shm.ringFrames=1"), 1024));
        assertTrue(one.getMessage().contains("shm.ringFrames=1"), one.getMessage());
    }

    @Test
    void rejectsARingSizeThatIsNotAPowerOfTwoInRange() {
        for (String bad : new String[] {"5000", "2048", "2147483647", "lots"}) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> transport.openReceiver(TransportOptions.parse("shm.ringBytes=" + bad), 1024));
            assertEquals("bad value for option shm.ringBytes: shm.ringBytes=" + bad + "; allowed: a power of two from 4096 to 1073741824",
                    e.getMessage());
        }
    }

    @Test
    void sweepsRingsOfDeadRunsWhenOpening(@TempDir Path dir) throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = Files.createFile(dir.resolve("framebench-ffm-" + dead.pid() + "-1"));
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("shm.dir=" + dir), 1024)) {
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(Path.of(receiver.endpoint())));
        }
    }
}
