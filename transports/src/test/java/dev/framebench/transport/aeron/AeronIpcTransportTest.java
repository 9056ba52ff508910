package dev.framebench.transport.aeron;

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
import dev.framebench.transport.shm.agrona.SenderJvm;
import dev.framebench.transport.shm.agrona.ShmLeftovers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** aeron-ipc's own edges, with a real embedded driver in /dev/shm; frames across two JVMs are the conformance suite's. */
class AeronIpcTransportTest {
    private static final AeronIpcTransport AERON = new AeronIpcTransport();
    private static final FramePreset PRESET = FramePreset.P720_I420;

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(t -> t.getName() + "#" + t.threadId())
                .collect(Collectors.toSet());
    }

    @Test
    void carriesFramesAndEndsCleanly() throws Exception {
        int frames = 20; // a 16 MiB term holds 12 of these: the stream crosses terms
        try (FrameReceiver receiver = AERON.openReceiver(TransportOptions.NONE, PRESET.frameBytes()); FramePool pool = new FramePool(PRESET, 3)) {
            assertEquals(Map.of("driver", "embedded in the receiver JVM", "driverThreading", "SHARED", "driverIdle", "sleep 1 ms",
                    "aeron.termBytes", "16777216", "mtuBytes", "65504"), receiver.describe());
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = AERON.openSender(receiver.endpoint(), TransportOptions.NONE)) {
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
    void claimAndCommitCarryAFrameWrittenInPlace() {
        try (FrameReceiver receiver = AERON.openReceiver(TransportOptions.NONE, PRESET.frameBytes());
             FramePool pool = new FramePool(PRESET, 1);
             FrameSender sender = AERON.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            receiver.awaitSender(seconds(10));
            sender.claim(PRESET.frameBytes(), seconds(10)).copyFrom(pool.stamp(0, 0, 0));
            sender.commit();
            new FrameVerifier().verify(receiver.receive(seconds(10)));
        }
    }

    @Test
    void refusesASecondSenderWithoutDisturbingTheFirst() throws Exception {
        try (FrameReceiver receiver = AERON.openReceiver(TransportOptions.NONE, PRESET.frameBytes()); FramePool pool = new FramePool(PRESET, 2)) {
            FrameSender first = AERON.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            String aeronDirectory = AeronIpcEndpoint.parse(receiver.endpoint()).aeronDirectory();
            TransportException e = assertThrows(TransportException.class, () -> AERON.openSender(receiver.endpoint(), TransportOptions.NONE));
            assertEquals("aeron-ipc receiver at " + aeronDirectory + " already has a sender (session 1 of stream 1001 is taken); a second one is refused",
                    e.getMessage());
            first.send(pool.stamp(0, 0, 0), seconds(10));
            first.close();
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
        }
    }

    @Test
    void rejectsFrameLargerThanTerm() {
        try (FrameReceiver receiver = AERON.openReceiver(TransportOptions.NONE, 1_000);
             FrameSender sender = AERON.openSender(receiver.endpoint(), TransportOptions.NONE);
             FramePool pool = new FramePool(PRESET, 1)) {
            BadInputException e = assertThrows(BadInputException.class, () -> sender.send(pool.frame(0), seconds(10)));
            assertEquals("frame does not fit the Aeron term: frameBytes=1382464 maxMessageBytes=8192; raise aeron.termBytes to >= 16777216",
                    e.getMessage());
        }
    }

    @Test
    void rejectsATermTooSmallForTheLargestFrameAtOpen() throws IOException {
        BadInputException e = assertThrows(BadInputException.class,
                () -> AERON.openReceiver(TransportOptions.parse("aeron.termBytes=1048576"), PRESET.frameBytes()));
        assertEquals("frame does not fit the Aeron term: frameBytes=1382464 maxMessageBytes=131072; raise aeron.termBytes to >= 16777216",
                e.getMessage());
        assertEquals(List.of(), ShmLeftovers.ofThisProcess(), "nothing created before the sizes are checked");
    }

    @Test
    void keepsTheDriverInAPrivateFolderAndLeavesNoFileOrThreadBehind() throws IOException {
        Set<String> threadsBefore = liveThreads();
        Path folder;
        try (FrameReceiver receiver = AERON.openReceiver(TransportOptions.NONE, PRESET.frameBytes()); FramePool pool = new FramePool(PRESET, 1)) {
            Path aeronDirectory = Path.of(AeronIpcEndpoint.parse(receiver.endpoint()).aeronDirectory());
            folder = aeronDirectory.getParent();
            assertEquals(ShmFiles.DEFAULT_DIR, folder.getParent());
            assertTrue(folder.getFileName().toString().startsWith("framebench-aeron-" + ProcessHandle.current().pid() + "-"), folder.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            assertTrue(Files.exists(aeronDirectory.resolve("cnc.dat")));
            try (FrameSender sender = AERON.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                sender.send(pool.stamp(0, 0, 0), seconds(10));
            }
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            assertNull(receiver.receive(seconds(10)));
        }
        assertFalse(Files.exists(folder));
        assertEquals(List.of(), ShmLeftovers.ofThisProcess());
        Set<String> left = liveThreads();
        left.removeAll(threadsBefore);
        assertEquals(Set.of(), left, "threads the transport started and did not stop");
    }

    /**
     * Issue 21, finding 8: the driver's folder and every file in it (cnc.dat, the loss report, the 48 MiB of
     * log buffers that frames pass through) are the receiver's user's alone, once the driver is up and once a
     * publication's log has appeared.
     */
    @Test
    void makesTheDriversFolderEveryFolderInItAndEveryFilePrivate() throws Exception {
        try (FrameReceiver receiver = AERON.openReceiver(TransportOptions.NONE, PRESET.frameBytes()); FramePool pool = new FramePool(PRESET, 1)) {
            Path folder = Path.of(AeronIpcEndpoint.parse(receiver.endpoint()).aeronDirectory()).getParent();
            assertEquals(List.of(), notPrivate(folder), "once the driver is up");
            try (FrameSender sender = AERON.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                receiver.awaitSender(seconds(10));
                sender.send(pool.stamp(0, 0, 0), seconds(10));
                new FrameVerifier().verify(receiver.receive(seconds(10)));
                receiver.release();
                try (Stream<Path> files = Files.walk(folder)) {
                    assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".logbuffer")), "the publication's log is there");
                }
                assertEquals(List.of(), notPrivate(folder), "once a publication's log buffer has appeared");
            }
        }
    }

    /** Every path under {@code folder} (itself included) whose mode is not 0700 (folders) or 0600 (files), with its mode. */
    private static List<String> notPrivate(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.map(p -> {
                try {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    return mode.equals(Files.isDirectory(p) ? "rwx------" : "rw-------") ? null : folder.relativize(p) + " " + mode;
                } catch (IOException e) {
                    return folder.relativize(p) + " unreadable: " + e.getMessage();
                }
            }).filter(Objects::nonNull).toList();
        }
    }

    @Test
    void reportsASenderThatDiesWithoutClosing() throws Exception {
        try (FrameReceiver receiver = AERON.openReceiver(TransportOptions.NONE, SenderJvm.PRESET.frameBytes());
             SenderJvm sender = SenderJvm.start("aeron-ipc", receiver.endpoint(), 3)) {
            receiver.awaitSender(seconds(30));
            sender.awaitSent();
            sender.kill();
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i < 3; i++) {
                verifier.verify(receiver.receive(seconds(30)));
                receiver.release();
            }
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(30)));
            assertEquals("aeron-ipc sender pid " + sender.pid() + " died without closing the stream (aeron dir "
                    + AeronIpcEndpoint.parse(receiver.endpoint()).aeronDirectory() + ")", e.getMessage());
        }
    }

    @Test
    void rejectsAMalformedEndpoint() {
        BadInputException e = assertThrows(BadInputException.class, () -> AERON.openSender("/dev/shm/somewhere", TransportOptions.NONE));
        assertEquals("bad aeron-ipc endpoint '/dev/shm/somewhere'; write AERON_DIR|STREAM_ID|aeron:ipc?..., as the receiver prints it", e.getMessage());
    }
}
