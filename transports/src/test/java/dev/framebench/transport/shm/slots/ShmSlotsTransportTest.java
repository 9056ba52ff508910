package dev.framebench.transport.shm.slots;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.framebench.transport.shm.slots.ShmSlots.INT;
import static dev.framebench.transport.shm.slots.ShmSlots.LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code shm-slots} through its own ends, both in this JVM, with the file read back as a foreign peer would
 * map it (raw offsets of {@link ShmSlotsDescriptor}): the layout, lending and claiming order, and the faults
 * (a dead peer, a second producer, a stranger's token, a full tmpfs, bad options).
 */
class ShmSlotsTransportTest {
    private static final FramePreset PRESET = FramePreset.P720_I420;
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final long SLOT_BYTES = 1_384_448; // 1,382,464 rounded up to whole pages

    private final ShmSlotsTransport transport = new ShmSlotsTransport();

    @Test
    void createsAPrivateFileOfPageAlignedSlotsAndLeavesNothingAfterClose() throws Exception {
        FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=3"), PRESET.frameBytes());
        Path file = Path.of(receiver.endpoint());
        try {
            assertEquals(ShmFiles.DEFAULT_DIR, file.getParent());
            assertTrue(file.getFileName().toString().startsWith("framebench-slots-" + ProcessHandle.current().pid() + "-"), file.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(4096 + 3 * SLOT_BYTES, Files.size(file));
            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            sender.close();
        } finally {
            receiver.close();
        }
        assertFalse(Files.exists(file));
        assertEquals(List.of(), leftovers(), "nothing of this JVM left in /dev/shm");
    }

    @Test
    void writesAControlAreaAForeignProducerCanCheck(@TempDir Path dir) throws Exception {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("shm.dir=" + dir + ";slots=5"), 1000);
             Raw raw = new Raw(receiver.endpoint())) {
            assertEquals(0x4c534246, raw.i32(0), "magic FBSL");
            assertEquals(1, raw.i32(4));
            assertEquals(4096, raw.i32(8));
            assertEquals(5, raw.i32(12));
            assertEquals(4096, raw.i64(16), "a 1000-byte frame takes a one-page slot");
            assertEquals(ProcessHandle.current().pid(), raw.i64(24));
            assertEquals(0, raw.i64(32), "no producer yet");
            assertEquals(0, raw.i32(44), "no token: no hello required");
            assertEquals(0, raw.i64(128), "readyTail");
            assertEquals(5, raw.i64(256), "freeTail: every slot free");
            for (int i = 0; i < 5; i++) {
                assertEquals(i, raw.i32(2048 + 8 * i), "free entry " + i);
            }
            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            assertEquals(ProcessHandle.current().pid(), raw.i64(32));
            sender.close();
            assertEquals(1, raw.i32(40), "producerClosed");
        }
    }

    @Test
    void lendsItsSlotsAndEveryClaimReturnsTheNextInOrderWhileFramesCrossIntact() {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=3"), PRESET.frameBytes());
             FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            List<MemorySegment> lent = sender.lentFrames(PRESET.frameBytes());
            assertEquals(3, lent.size());
            for (MemorySegment frame : lent) {
                assertEquals(PRESET.frameBytes(), frame.byteSize());
                assertEquals(0, frame.address() % 4096, "slots start on a page");
            }
            FramePool pool = new FramePool(PRESET, lent);
            FrameVerifier verifier = new FrameVerifier();
            for (long sequence = 0; sequence < 10; sequence++) {
                MemorySegment claimed = sender.claim(PRESET.frameBytes(), Deadline.after(LONG_WAIT));
                assertSame(lent.get((int) (sequence % 3)), claimed, "claim " + sequence);
                FrameHeader.stamp(claimed, 0, sequence, sequence);
                sender.commit();
                MemorySegment received = receiver.receive(Deadline.after(LONG_WAIT));
                assertTrue(received.isReadOnly());
                verifier.verify(received);
                receiver.release();
            }
            pool.close();
        }
    }

    @Test
    void refusesLentFramesAfterAClaimAndFramesLargerThanASlot() {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=2"), 1000);
             FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            BadInputException tooLarge = assertThrows(BadInputException.class, () -> sender.lentFrames(4097));
            assertEquals("frame does not fit a slot: frameBytes=4097 slotBytes=4096; open the receiver for frames of at least 4097 bytes"
                    + " (its maxFrameBytes)", tooLarge.getMessage());
            assertThrows(BadInputException.class, () -> sender.claim(4097, Deadline.after(LONG_WAIT)));
            sender.claim(1000, Deadline.after(LONG_WAIT));
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> sender.lentFrames(1000));
            assertTrue(late.getMessage().startsWith("lentFrames must be called once, before the first claim"), late.getMessage());
        }
    }

    @Test
    void refusesASecondSenderWithoutDisturbingTheFirst() {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=2"), PRESET.frameBytes());
             FrameSender first = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
             FramePool pool = new FramePool(PRESET, 1)) {
            TransportException e = assertThrows(TransportException.class, () -> transport.openSender(receiver.endpoint(), TransportOptions.NONE));
            assertEquals("slots file " + receiver.endpoint() + " already has a sender (pid " + ProcessHandle.current().pid()
                    + "); one sender per receiver", e.getMessage());
            first.send(pool.stamp(0, 0, 0), Deadline.after(LONG_WAIT));
            assertEquals(0, FrameHeader.sequence(receiver.receive(Deadline.after(LONG_WAIT))));
        }
    }

    @Test
    void refusesAndCountsAProducerWithTheWrongTokenThenTakesTheRightOneAndNoSecond() throws Exception {
        RunToken token = RunToken.random();
        TransportOptions withToken = TransportOptions.parse("slots=2;token=" + token.hex());
        try (FrameReceiver receiver = transport.openReceiver(withToken, PRESET.frameBytes()); FramePool pool = new FramePool(PRESET, 1)) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> receiver.awaitSender(Deadline.after(LONG_WAIT)));
            TransportException wrong = assertThrows(TransportException.class, () -> transport.openSender(receiver.endpoint(),
                    TransportOptions.parse("token=" + RunToken.random().hex())));
            assertTrue(wrong.getMessage().contains("refused this sender's hello"), wrong.getMessage());
            assertEquals(1, receiver.foreignConnectionsRefused());

            try (FrameSender sender = transport.openSender(receiver.endpoint(), withToken)) {
                accepted.get(LONG_WAIT.toSeconds(), TimeUnit.SECONDS);
                TransportException second = assertThrows(TransportException.class, () -> transport.openSender(receiver.endpoint(), withToken));
                assertTrue(second.getMessage().contains("already has a sender"), second.getMessage());
                sender.send(pool.stamp(0, 0, 0), Deadline.after(LONG_WAIT));
                new FrameVerifier().verify(receiver.receive(Deadline.after(LONG_WAIT)));
                receiver.release();
            }
            assertNull(receiver.receive(Deadline.after(LONG_WAIT)));
            assertEquals(1, receiver.foreignConnectionsRefused());
        }
    }

    @Test
    void endsTheStreamCleanlyAfterTheLastCommittedFrame() {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=4"), PRESET.frameBytes());
             FramePool pool = new FramePool(PRESET, 2)) {
            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            sender.send(pool.stamp(0, 0, 0), Deadline.after(LONG_WAIT));
            sender.send(pool.stamp(0, 1, 0), Deadline.after(LONG_WAIT));
            sender.claim(PRESET.frameBytes(), Deadline.after(LONG_WAIT)); // never committed: not part of the stream
            sender.close();
            for (long sequence = 0; sequence < 2; sequence++) {
                assertEquals(sequence, FrameHeader.sequence(receiver.receive(Deadline.after(LONG_WAIT))));
                receiver.release();
            }
            assertNull(receiver.receive(Deadline.after(LONG_WAIT)));
            assertNull(receiver.receive(Deadline.after(LONG_WAIT)), "end of stream stays the end");
        }
    }

    @Test
    void detectsASenderThatDiedWithoutClosing() throws Exception {
        long deadPid = exitedProcessPid();
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=2"), 1000); Raw raw = new Raw(receiver.endpoint())) {
            raw.setI64(32, deadPid); // as if that process had attached, then crashed
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(Deadline.after(LONG_WAIT)));
            assertEquals("sender pid " + deadPid + " died without closing the stream on slots file " + receiver.endpoint(), e.getMessage());
        }
    }

    @Test
    void detectsAReceiverThatDiedWhileTheSenderWaitsForASlot() throws Exception {
        long deadPid = exitedProcessPid();
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=2"), PRESET.frameBytes());
             Raw raw = new Raw(receiver.endpoint()); FramePool pool = new FramePool(PRESET, 2)) {
            raw.setI64(24, deadPid);
            try (FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                sender.send(pool.stamp(0, 0, 0), Deadline.after(LONG_WAIT));
                sender.send(pool.stamp(0, 1, 0), Deadline.after(LONG_WAIT));
                TransportException e = assertThrows(TransportException.class, () -> sender.claim(PRESET.frameBytes(), Deadline.after(LONG_WAIT)));
                assertEquals("receiver pid " + deadPid + " died; nothing consumes slots file " + receiver.endpoint(), e.getMessage());
            }
        }
    }

    @Test
    void rejectsACorruptReadyEntryNamingWhatItFound() {
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("slots=2"), PRESET.frameBytes());
             FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
             Raw raw = new Raw(receiver.endpoint()); FramePool pool = new FramePool(PRESET, 1)) {
            sender.send(pool.stamp(0, 0, 0), Deadline.after(LONG_WAIT));
            raw.setI32(1024, 9);
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(Deadline.after(LONG_WAIT)));
            assertTrue(e.getMessage().startsWith("corrupt slots file " + receiver.endpoint() + ": ready entry at position=0 names slot=9"),
                    e.getMessage());
        }
    }

    @Test
    void rejectsASlotCountOutOfRangeAndDescribesHowItRuns(@TempDir Path dir) {
        for (String bad : new String[] {"1", "65", "lots"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> transport.validate(TransportOptions.parse("slots=" + bad), 1000));
            assertEquals("bad value for option slots: slots=" + bad + "; allowed: a whole number from 2 to 64", e.getMessage());
        }
        try (Stream<Path> before = Files.list(dir)) {
            assertEquals(0, before.count(), "validate creates nothing");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.parse("shm.dir=" + dir + ";idle=futex"), PRESET.frameBytes())) {
            assertEquals("futex", receiver.describe().get("idle"));
            assertEquals("8", receiver.describe().get("slots"));
            assertEquals(Long.toString(SLOT_BYTES), receiver.describe().get("slotBytes"));
            assertEquals(receiver.endpoint(), receiver.describe().get("file"));
        }
    }

    @Test
    void saysInOneLineThatTheTmpfsIsTooSmall() throws IOException {
        long free = Files.getFileStore(ShmFiles.DEFAULT_DIR).getUsableSpace();
        assumeTrue(free < 64L << 30, "/dev/shm holds 64 slots of 1 GiB here");
        BadInputException e = assertThrows(BadInputException.class,
                () -> transport.openReceiver(TransportOptions.parse("slots=64"), 1 << 30));
        assertTrue(e.getMessage().startsWith("not enough space in /dev/shm: need " + (4096 + (64L << 30)) + " bytes, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("or lower slots (64 slots of 1073741824 bytes) or set shm.dir=DIR"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of(), leftovers());
    }

    private static List<Path> leftovers() throws IOException {
        String owner = "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> entries = Files.list(ShmFiles.DEFAULT_DIR)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(ShmFiles.PREFIX + "slots") && p.getFileName().toString().contains(owner))
                    .toList();
        }
    }

    private static long exitedProcessPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    /** The slots file mapped the way a foreign peer would: raw little-endian fields at documented offsets. */
    private static final class Raw implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment file;

        Raw(String path) {
            try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                file = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            } catch (IOException e) {
                arena.close();
                throw new java.io.UncheckedIOException(e);
            }
        }

        int i32(long offset) {
            return file.get(INT, offset);
        }

        long i64(long offset) {
            return file.get(LONG, offset);
        }

        void setI32(long offset, int value) {
            file.set(INT, offset, value);
        }

        void setI64(long offset, long value) {
            file.set(LONG, offset, value);
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
