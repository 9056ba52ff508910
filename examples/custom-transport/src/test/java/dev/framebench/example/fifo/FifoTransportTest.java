package dev.framebench.example.fifo;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerificationException;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The fifo transport on real FIFOs, without the conformance kit: frames from a real second JVM and from
 * a thread, deadlines that fire, a sender killed mid-frame, what one FIFO can and cannot keep out, and
 * that nothing is left behind.
 */
class FifoTransportTest {
    private static final FramePreset PRESET = FramePreset.P1080_I420;
    private static final int FRAMES = 30;
    private static final Duration SHORT = Duration.ofMillis(300);

    private final Transport fifo = new FifoTransport();

    @TempDir
    Path dir;

    private TransportOptions inDir() {
        return TransportOptions.parse(FifoOptions.DIR + "=" + dir);
    }

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    private static List<Path> entries(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void framesFromASecondJvmCrossIntactInOrderThenTheStreamEndsCleanly() throws Exception {
        try (FrameReceiver receiver = fifo.openReceiver(TransportOptions.NONE, PRESET.frameBytes());
             SenderJvm sender = SenderJvm.start(receiver.endpoint(), FRAMES, SenderJvm.Ending.CLOSE)) {
            receiver.awaitSender(seconds(30));
            FrameVerifier verifier = new FrameVerifier();
            for (long expected = 0; expected < FRAMES; expected++) {
                MemorySegment frame = receiver.receive(seconds(30));
                verifier.verify(frame);
                assertEquals(expected, FrameHeader.sequence(frame));
                assertEquals(PRESET.frameBytes(), frame.byteSize());
                assertTrue(frame.isReadOnly(), "receive hands out a read-only view");
                receiver.release();
            }
            assertNull(receiver.receive(seconds(30)), "the sender's close after a whole frame is the clean end of stream");
            assertEquals(0, sender.awaitExit());
        }
    }

    @Test
    void framesFromAThreadCrossBySendAndByClaimThenTheStreamEndsCleanly() throws Exception {
        try (FrameReceiver receiver = fifo.openReceiver(inDir()); FramePool pool = new FramePool(PRESET, 3)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = fifo.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                    for (long seq = 0; seq < 10; seq++) {
                        sender.send(pool.stamp(0, seq, seq), seconds(10));
                    }
                    sender.claim(PRESET.frameBytes(), seconds(10)).copyFrom(pool.stamp(0, 10, 10));
                    sender.commit();
                }
            });
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i <= 10; i++) {
                verifier.verify(receiver.receive(seconds(10)));
                receiver.release();
            }
            assertNull(receiver.receive(seconds(10)));
            sent.get();
        }
    }

    @Test
    void receiveTimesOutAtItsDeadlineWhenNoSenderComes() {
        try (FrameReceiver receiver = fifo.openReceiver(inDir())) {
            long start = System.nanoTime();
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> receiver.receive(Deadline.after(SHORT)));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= SHORT.toMillis() && waitedMillis < 5_000, "waited " + waitedMillis + " ms");
            assertEquals("timed out waiting for a frame on fifo " + receiver.endpoint() + " (no sender has opened it)", e.getMessage());
        }
    }

    @Test
    void awaitSenderTimesOutWhenNoSenderComes() {
        try (FrameReceiver receiver = fifo.openReceiver(inDir())) {
            assertEquals("timed out waiting for a sender to open fifo " + receiver.endpoint() + "; start the sender with this endpoint, as this user",
                    assertThrows(TransportTimeoutException.class, () -> receiver.awaitSender(Deadline.after(SHORT))).getMessage());
        }
    }

    @Test
    void awaitSenderReturnsOnceASenderHasOpenedBeforeItWritesAByte() {
        try (FrameReceiver receiver = fifo.openReceiver(inDir())) {
            FrameSender sender = fifo.openSender(receiver.endpoint(), TransportOptions.NONE);
            long start = System.nanoTime();
            receiver.awaitSender(seconds(10));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "seen by its write lock, not by a deadline");
            sender.close();
            assertNull(receiver.receive(seconds(10)), "a sender that closes before its first frame ends the stream cleanly");
        }
    }

    @Test
    void senderKilledMidFrameEndsTheReceiveWithTheBytesMissingNotAHang() throws Exception {
        int whole = 3;
        try (FrameReceiver receiver = fifo.openReceiver(inDir(), PRESET.frameBytes());
             SenderJvm sender = SenderJvm.start(receiver.endpoint(), whole, SenderJvm.Ending.HALF_FRAME)) {
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i < whole; i++) {
                verifier.verify(receiver.receive(seconds(30)));
                receiver.release();
            }
            // The half frame is 1.5 MB and the pipe holds 64 KiB: the sender says HALF only once this
            // receive is reading that frame's payload, so the kill lands mid-frame.
            CompletableFuture<Void> killed = CompletableFuture.runAsync(() -> {
                try {
                    sender.awaitHalfFrame();
                    sender.kill();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(30)));
            killed.get();
            assertFalse(e instanceof TransportTimeoutException, "the kill ends the receive, not its deadline: " + e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
            int half = PRESET.frameBytes() / 2 - FrameHeader.LENGTH;
            int payload = PRESET.payloadBytes();
            assertEquals("sender closed fifo " + receiver.endpoint() + " mid-frame: got " + half + " of " + payload + " payload bytes, "
                    + (payload - half) + " missing (stream 0, sequence " + whole + "); the sender died or closed without finishing the frame,"
                    + " see its exit status", e.getMessage());
        }
    }

    @Test
    void aSecondFramebenchSenderIsRefusedAndTheFirstGoesOn() throws Exception {
        try (FrameReceiver receiver = fifo.openReceiver(inDir()); FramePool pool = new FramePool(FramePreset.P720_I420, 2);
             FrameSender first = fifo.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            TransportException e = assertThrows(TransportException.class, () -> fifo.openSender(receiver.endpoint(), TransportOptions.NONE));
            assertEquals("fifo " + receiver.endpoint() + " already has a sender (another framebench sender holds its write lock);"
                    + " a fifo receiver serves one sender: open one receiver per sender", e.getMessage());
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> first.send(pool.stamp(0, 0, 0), seconds(10)));
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            sent.get();
        }
    }

    @Test
    void aWriterThatTakesNoLockIsNotKeptOutButItsBytesFailTheFramingCheck() throws Exception {
        try (FrameReceiver receiver = fifo.openReceiver(inDir())) {
            // Any process of this user can open the FIFO and write: the kernel has no way to refuse it.
            try (FileOutputStream stranger = new FileOutputStream(receiver.endpoint())) {
                stranger.write(new byte[FrameHeader.LENGTH]);
            }
            receiver.awaitSender(seconds(10));
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> receiver.receive(seconds(10)));
            assertEquals("magic", e.field());
        }
    }

    @Test
    void sendFailsInOneLineOnceTheReceiverHasClosed() {
        try (FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            FrameReceiver receiver = fifo.openReceiver(inDir());
            try (FrameSender sender = fifo.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                receiver.close();
                TransportException e = assertThrows(TransportException.class, () -> sender.send(pool.stamp(0, 0, 0), seconds(10)));
                assertEquals("receiver closed fifo " + receiver.endpoint() + ": wrote 0 of " + FramePreset.P720_I420.frameBytes()
                        + " bytes of a frame, then EPIPE; the receiver died or closed, see its output", e.getMessage());
            }
        }
    }

    @Test
    void sendTimesOutWhenTheReceiverStopsReadingAndTheStreamIsThenRefused() {
        try (FrameReceiver receiver = fifo.openReceiver(inDir()); FramePool pool = new FramePool(PRESET, 2);
             FrameSender sender = fifo.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> sender.send(pool.stamp(0, 0, 0), Deadline.after(SHORT)));
            String pipeBytes = receiver.describe().get("pipeBytes");
            assertEquals("timed out writing a frame to fifo " + receiver.endpoint() + ": wrote " + pipeBytes + " of " + PRESET.frameBytes()
                    + " bytes (the receiver stalled, or stopped reading)", e.getMessage());
            TransportException next = assertThrows(TransportException.class, () -> sender.send(pool.stamp(0, 1, 1), seconds(10)));
            assertTrue(next.getMessage().startsWith("fifo " + receiver.endpoint() + " lost its framing: a send timed out after "), next.getMessage());
        }
    }

    @Test
    void fifoIsPrivateInAFolderNamedForItsOwnerAndCloseRemovesBoth() throws IOException {
        Path fifoPath;
        Path folder;
        try (FrameReceiver receiver = fifo.openReceiver(inDir())) {
            fifoPath = Path.of(receiver.endpoint());
            folder = fifoPath.getParent();
            assertEquals(dir, folder.getParent());
            assertEquals(FifoFile.FILE_NAME, fifoPath.getFileName().toString());
            assertTrue(folder.getFileName().toString().startsWith("framebench-fifo-" + ProcessHandle.current().pid() + "-"), folder.toString());
            assertEquals(ProcessHandle.current().pid(), ShmFiles.ownerPid(folder.getFileName().toString()), "the stale sweep can read its owner");
            assertEquals(FifoFile.PRIVATE_FOLDER, Files.getPosixFilePermissions(folder));
            assertEquals(FifoFile.PRIVATE_FIFO, Files.getPosixFilePermissions(fifoPath));
            assertTrue(Files.readAttributes(fifoPath, BasicFileAttributes.class).isOther(), "a FIFO, not a regular file");
        }
        assertFalse(Files.exists(fifoPath));
        assertFalse(Files.exists(folder));
        assertEquals(List.of(), entries(dir), "nothing left in fifo.dir");
    }

    @Test
    void byDefaultTheFifoLivesInDevShmAndNothingOfOursIsLeftThereAfterClose() throws IOException {
        String ours = "framebench-fifo-" + ProcessHandle.current().pid() + "-";
        try (FrameReceiver receiver = fifo.openReceiver(TransportOptions.NONE)) {
            assertEquals(ShmFiles.DEFAULT_DIR, Path.of(receiver.endpoint()).getParent().getParent());
        }
        assertEquals(List.of(), entries(ShmFiles.DEFAULT_DIR).stream().filter(p -> p.getFileName().toString().startsWith(ours)).toList());
    }

    @Test
    void openingAReceiverSweepsTheFolderOfADeadRun() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectory(dir.resolve("framebench-fifo-" + gone.pid() + "-1"));
        try (FrameReceiver receiver = fifo.openReceiver(inDir())) {
            assertFalse(Files.exists(stale), "a folder whose owner pid is dead is swept");
            assertTrue(Files.exists(Path.of(receiver.endpoint())));
        }
    }

    @Test
    void senderWaitsForAReaderOnlyUntilItsDeadline() {
        try (FifoFile unread = FifoFile.create(dir)) {
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> FifoSender.open(unread.fifo(), Deadline.after(SHORT)));
            assertEquals("timed out opening fifo " + unread.fifo() + " for writing: no reader has it open (ENXIO (errno 6));"
                    + " start the receiver first and check that it is still running", e.getMessage());
        }
    }

    @Test
    void rejectsAnEndpointThatIsNotAFifoInOneLine() throws IOException {
        Path regular = Files.writeString(dir.resolve("frames.fifo"), "not a fifo");
        assertEquals("fifo endpoint is not a FIFO: " + regular + " is a regular file; give the endpoint the fifo receiver printed",
                assertThrows(BadInputException.class, () -> fifo.openSender(regular.toString(), TransportOptions.NONE)).getMessage());
        assertEquals("not a fifo", Files.readString(regular), "nothing was written into it");
        assertEquals("bad fifo endpoint: endpoint=frames.fifo; give the absolute path of the FIFO the receiver printed,"
                        + " e.g. /dev/shm/framebench-fifo-1234-1/frames.fifo",
                assertThrows(BadInputException.class, () -> fifo.openSender("frames.fifo", TransportOptions.NONE)).getMessage());
        Path missing = dir.resolve("gone.fifo");
        assertEquals("no fifo at " + missing + "; give the endpoint the receiver printed, while that receiver is open",
                assertThrows(TransportException.class, () -> fifo.openSender(missing.toString(), TransportOptions.NONE)).getMessage());
    }

    @Test
    void pipeBytesRaisesThePipeCapacityAndFramesStillCross() throws Exception {
        TransportOptions options = inDir().with(FifoOptions.PIPE_BYTES, "1048576");
        try (FrameReceiver receiver = fifo.openReceiver(options); FramePool pool = new FramePool(PRESET, 2)) {
            assertEquals("1048576", receiver.describe().get("pipeBytes"));
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = fifo.openSender(receiver.endpoint(), options)) {
                    sender.send(pool.stamp(0, 0, 0), seconds(10));
                }
            });
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
            sent.get();
        }
    }

    @Test
    void rejectsAPipeLargerThanThisUserMayHaveInOneLine() throws IOException {
        assumeFalse(hasCapSysResource(), "a process with CAP_SYS_RESOURCE may exceed pipe-max-size");
        long max = Long.parseLong(FifoTransport.pipeMaxSize());
        int asked = (int) Math.min(2 * max, FifoOptions.MAX_PIPE_BYTES);
        BadInputException e = assertThrows(BadInputException.class, () -> fifo.openReceiver(inDir().with(FifoOptions.PIPE_BYTES, Integer.toString(asked))));
        assertEquals("pipe too large for this user: fifo.pipeBytes=" + asked + " pipe-max-size=" + max
                + " (or the user's pipe-user-pages-soft budget is spent); lower fifo.pipeBytes to at most pipe-max-size,"
                + " or raise it: sysctl fs.pipe-max-size=" + asked, e.getMessage());
        assertEquals(List.of(), entries(dir), "a receiver that failed to open leaves nothing");
    }

    @Test
    void rejectsBadAndUnknownOptionsNamingTheValidOnes() {
        assertEquals("bad value for option fifo.dir: fifo.dir=/no/such/folder; allowed: an existing folder this user can write (default /dev/shm)",
                assertThrows(BadInputException.class, () -> fifo.openReceiver(TransportOptions.parse("fifo.dir=/no/such/folder"))).getMessage());
        assertEquals("bad value for option fifo.pipeBytes: fifo.pipeBytes=-1; allowed: a whole number from 0 to 1073741824",
                assertThrows(BadInputException.class, () -> fifo.openReceiver(TransportOptions.parse("fifo.pipeBytes=-1"))).getMessage());
        assertEquals("unknown transport option 'fifo.ringBytes' for fifo; valid options: fifo.dir, fifo.pipeBytes",
                assertThrows(BadInputException.class, () -> TransportOptions.parse("fifo.ringBytes=1").requireKnownBy(List.of(fifo))).getMessage());
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        Transport found = ServiceLoader.load(Transport.class).stream().map(ServiceLoader.Provider::get)
                .filter(t -> t.name().equals("fifo")).findFirst().orElseThrow();
        assertInstanceOf(FifoTransport.class, found);
    }

    /** Bit 24 of CapEff in /proc/self/status. */
    private static boolean hasCapSysResource() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16) & (1L << 24)) != 0;
            }
        }
        return false;
    }
}
