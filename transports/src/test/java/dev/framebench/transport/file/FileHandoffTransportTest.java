package dev.framebench.transport.file;

import dev.framebench.transport.socket.Strangers;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerificationException;
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
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** file-handoff's own edges, on real folders and loopback sockets; frames across two JVMs are the conformance suite's. */
class FileHandoffTransportTest {
    private static final FileHandoffTransport FILE = new FileHandoffTransport();
    private static final FramePreset PRESET = FramePreset.P720_I420;

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    private static TransportOptions onDisk(Path dir, String more) {
        return TransportOptions.parse("file.dir=" + dir + (more.isEmpty() ? "" : ";" + more));
    }

    private static Path folderOf(FrameReceiver receiver) {
        return FileHandoffEndpoint.parse(receiver.endpoint()).folder();
    }

    private static long filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    /** Waits (up to a generous deadline, not a measured threshold) until {@code folder} holds {@code count} files. */
    private static void awaitFiles(Path folder, long count) throws IOException {
        long deadline = seconds(20);
        while (filesIn(folder) < count) {
            assertFalse(Deadline.expired(deadline), "folder never held " + count + " files");
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** A raw client that speaks the wire format by hand, as a program in another language would. */
    private static SocketChannel rawSender(FrameReceiver receiver) throws IOException {
        SocketChannel raw = SocketChannel.open(FileHandoffEndpoint.parse(receiver.endpoint()).address());
        receiver.awaitSender(seconds(10));
        return raw;
    }

    private static void announce(SocketChannel raw, String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer announcement = ByteBuffer.allocate(2 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        announcement.putShort((short) bytes.length).put(bytes).flip();
        while (announcement.hasRemaining()) {
            raw.write(announcement);
        }
    }

    private static void writeFrameFile(Path file, FramePool pool) throws IOException {
        Files.write(file, pool.stamp(0, 0, 0).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void carriesFramesThroughATmpfsFolderAndEndsCleanly() throws Exception {
        Path folder;
        try (FrameReceiver receiver = FILE.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(PRESET, 3)) {
            folder = folderOf(receiver);
            assertEquals(ShmFiles.DEFAULT_DIR, folder.getParent());
            assertTrue(receiver.endpoint().startsWith("127.0.0.1:"), receiver.endpoint());
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = FILE.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                    for (long seq = 0; seq < 20; seq++) {
                        sender.send(pool.stamp(0, seq, seq), seconds(10));
                    }
                }
            });
            receiver.awaitSender(seconds(10));
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i < 20; i++) {
                verifier.verify(receiver.receive(seconds(10)));
                receiver.release();
            }
            assertNull(receiver.receive(seconds(10)), "end of stream after the last frame");
            sent.get();
            assertEquals("tmpfs", receiver.describe().get("fs"));
            assertEquals("4", receiver.describe().get("inflight"));
            assertEquals(0, filesIn(folder), "every consumed file is deleted");
        }
        assertFalse(Files.exists(folder), "the folder is removed on close");
    }

    @Test
    void claimAndCommitCarryAFrameWrittenInPlaceWithFsync(@TempDir Path dir) {
        TransportOptions options = onDisk(dir, "file.fsync=true");
        try (FrameReceiver receiver = FILE.openReceiver(options); FramePool pool = new FramePool(PRESET, 1)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = FILE.openSender(receiver.endpoint(), options)) {
                    sender.claim(PRESET.frameBytes(), seconds(10)).copyFrom(pool.stamp(0, 0, 0));
                    sender.commit();
                }
            });
            receiver.awaitSender(seconds(10));
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
            sent.join();
            assertEquals("true", receiver.describe().get("fsync"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "/etc/hostname", "sub/frame-0", "..", "."})
    void rejectsPathTraversalInAnnouncedName(String name, @TempDir Path dir) throws IOException {
        try (FrameReceiver receiver = FILE.openReceiver(onDisk(dir, "")); FramePool pool = new FramePool(PRESET, 1)) {
            Path outside = dir.resolve("escape");
            writeFrameFile(outside, pool);
            try (SocketChannel raw = rawSender(receiver)) {
                announce(raw, name);
                TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
                assertEquals("bad announcement from the sender: '" + name + "' is not a plain file name; names are relative to the"
                        + " receiver's folder, without '/', NUL, '.' or '..'", e.getMessage());
            }
            assertTrue(Files.exists(outside), "nothing outside the folder is read or deleted");
        }
    }

    @Test
    void rejectsASymbolicLinkOutOfTheFolder(@TempDir Path dir) throws IOException {
        try (FrameReceiver receiver = FILE.openReceiver(onDisk(dir, "")); FramePool pool = new FramePool(PRESET, 1)) {
            Path outside = dir.resolve("escape");
            writeFrameFile(outside, pool);
            Files.createSymbolicLink(folderOf(receiver).resolve("frame-0"), outside);
            try (SocketChannel raw = rawSender(receiver)) {
                announce(raw, "frame-0");
                TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
                assertEquals("announced frame file 'frame-0' in " + folderOf(receiver) + " is not a regular file", e.getMessage());
            }
            assertTrue(Files.exists(outside));
        }
    }

    @Test
    void rejectsAFrameFileWhoseHeaderStatesAnotherLength() throws IOException {
        try (FrameReceiver receiver = FILE.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(PRESET, 1)) {
            byte[] frame = pool.stamp(0, 5, 0).toArray(ValueLayout.JAVA_BYTE);
            ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(FrameHeader.PAYLOAD_LENGTH_OFFSET, PRESET.payloadBytes() + 8);
            Files.write(folderOf(receiver).resolve("frame-5"), frame);
            try (SocketChannel raw = rawSender(receiver)) {
                announce(raw, "frame-5");
                FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> receiver.receive(seconds(10)));
                assertEquals("frame verification failed: stream=0 sequence=5 field=payloadLength expected=" + PRESET.payloadBytes()
                        + " (the message's bytes after the header) actual=" + (PRESET.payloadBytes() + 8), e.getMessage());
            }
        }
    }

    @Test
    void failsWithOneLineWhenTheAnnouncedFileIsMissing() throws IOException {
        try (FrameReceiver receiver = FILE.openReceiver(TransportOptions.NONE); SocketChannel raw = rawSender(receiver)) {
            announce(raw, "frame-7");
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertEquals("announced frame file 'frame-7' is missing from " + folderOf(receiver), e.getMessage());
        }
    }

    @Test
    void rejectsAnEmptyName() throws IOException {
        try (FrameReceiver receiver = FILE.openReceiver(TransportOptions.NONE); SocketChannel raw = rawSender(receiver)) {
            announce(raw, "");
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertEquals("bad announcement from the sender: nameLength=0; a frame file name is 1 to 255 bytes of UTF-8", e.getMessage());
        }
    }

    @Test
    void folderIsPrivateAndRemovedOnClose(@TempDir Path dir) throws Exception {
        FrameReceiver receiver = FILE.openReceiver(onDisk(dir, ""));
        try (FramePool pool = new FramePool(PRESET, 1)) {
            Path folder = folderOf(receiver);
            assertEquals(dir.toAbsolutePath(), folder.getParent());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            FrameSender sender = FILE.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            sender.send(pool.stamp(0, 0, 0), seconds(10));
            Path frameFile;
            try (var files = Files.list(folder)) {
                frameFile = files.filter(f -> f.getFileName().toString().matches("frame-[0-9a-f]+-0")).findFirst().orElse(null);
            }
            assertNotNull(frameFile, "the file is in place before its name is announced");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(frameFile)));
            receiver.close();
            assertFalse(Files.exists(folder), "the folder and the unconsumed file in it are removed on close");
            // The receiver hung up with a file outstanding: closing the sender returns instead of waiting for it.
            sender.close();
        } finally {
            receiver.close();
        }
    }

    @Test
    void senderWaitsForCreditWhenReceiverIsSlow(@TempDir Path dir) throws Exception {
        int inflight = 3;
        int frames = 12;
        TransportOptions options = onDisk(dir, "file.inflight=" + inflight);
        try (FrameReceiver receiver = FILE.openReceiver(options); FramePool pool = new FramePool(PRESET, 2)) {
            Path folder = folderOf(receiver);
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = FILE.openSender(receiver.endpoint(), options)) {
                    for (long seq = 0; seq < frames; seq++) {
                        sender.send(pool.stamp(0, seq, seq), seconds(20));
                        sent.incrementAndGet();
                    }
                }
            });
            receiver.awaitSender(seconds(10));
            awaitFiles(folder, inflight);
            FrameVerifier verifier = new FrameVerifier();
            for (int received = 0; received < frames; received++) {
                long files = filesIn(folder);
                assertTrue(files <= inflight, "files outstanding: " + files + " > file.inflight=" + inflight);
                // A send completes only with credit, and credit only comes from a consumed file.
                assertTrue(sent.get() <= received + inflight, "sent " + sent.get() + " with only " + received + " consumed");
                verifier.verify(receiver.receive(seconds(20)));
                receiver.release();
            }
            assertNull(receiver.receive(seconds(20)));
            sending.get();
            assertEquals(frames, sent.get());
        }
    }

    @Test
    void refusesAndCountsForeignConnectionsWithoutDisturbingTheFirst() throws Exception {
        try (FrameReceiver receiver = FILE.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(PRESET, 1)) {
            FrameSender sender = FILE.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            Strangers.assertRefusedAndCounted(receiver, FileHandoffEndpoint.parse(receiver.endpoint()).address(), 1);
            Strangers.assertRefusedAndCounted(receiver, FileHandoffEndpoint.parse(receiver.endpoint()).address(), 2);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                sender.send(pool.stamp(0, 0, 0), seconds(10));
                sender.close();
            });
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
            sent.get();
        }
    }

    @Test
    void sweepsFoldersOfDeadRunsAtOpen(@TempDir Path dir) throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = Files.createDirectory(dir.resolve(ShmFiles.PREFIX + "file-" + dead.pid() + "-1"));
        Files.createFile(stale.resolve("frame-3"));
        try (FrameReceiver receiver = FILE.openReceiver(onDisk(dir, ""))) {
            assertFalse(Files.exists(stale));
            assertTrue(Files.isDirectory(folderOf(receiver)));
        }
    }

    @Test
    void rejectsAMissingFolderNamingTheOption(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-folder");
        BadInputException e = assertThrows(BadInputException.class, () -> FILE.openReceiver(onDisk(missing, "")));
        assertEquals("bad value for option file.dir: file.dir=" + missing + "; allowed: an existing folder this user can write (default /dev/shm)",
                e.getMessage());
    }

    @Test
    void rejectsAZeroInflight() {
        BadInputException e = assertThrows(BadInputException.class, () -> FILE.openReceiver(TransportOptions.parse("file.inflight=0")));
        assertEquals("bad value for option file.inflight: file.inflight=0; allowed: a whole number from 1 to 1024", e.getMessage());
    }

    @Test
    void parsesTheEndpointItPrintsAndRejectsOneWithoutAFolder() {
        for (String text : new String[] {"127.0.0.1:40123/dev/shm/framebench-file-42-1", "[0:0:0:0:0:0:0:1]:7000/mnt/disk/frames dir/framebench-file-42-1"}) {
            assertEquals(text, FileHandoffEndpoint.parse(text).toString());
        }
        assertEquals("/dev/shm/framebench-file-42-1", FileHandoffEndpoint.parse("127.0.0.1:40123/dev/shm/framebench-file-42-1").folder().toString());
        assertEquals("bad file-handoff endpoint '127.0.0.1:40123'; write HOST:PORT/FOLDER, e.g. 127.0.0.1:40123/dev/shm/framebench-file-4242-1",
                assertThrows(BadInputException.class, () -> FILE.openSender("127.0.0.1:40123", TransportOptions.NONE)).getMessage());
    }
}
