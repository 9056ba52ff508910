package dev.framebench.transport.shm.ffm;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.error.TransportTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.CONSUMER_PID_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.DATA_FUTEX_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.DATA_WAITER_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.FRAME_RECORD;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEAD_POSITION_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.PADDING_RECORD;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.PRODUCER_PID_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.RECORD_LENGTH_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.RECORD_TYPE_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.SPACE_FUTEX_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.SPACE_WAITER_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.TAIL_POSITION_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring through the transport's own ends, both in this JVM, on a 4096-byte ring whose layout the
 * tests read back as a foreign peer would ({@link RawRing}). Frames of 960 bytes take 1024-byte records:
 * four fill the ring.
 */
class ShmRingTest {
    private static final int RING = 4096;
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final ShmFfmTransport transport = new ShmFfmTransport();

    @Test
    void emptyRingHasNoFrameAndAFullOneNoRoomUntilAFrameIsReleased() {
        try (FrameReceiver receiver = openReceiver(""); FrameSender sender = openSender(receiver, "")) {
            assertThrows(TransportTimeoutException.class, () -> receiver.receive(Deadline.after(SHORT)));
            for (int i = 0; i < 4; i++) {
                send(sender, 960, i);
            }
            try (RawRing raw = new RawRing(receiver.endpoint())) {
                assertEquals(RING, raw.headerLong(TAIL_POSITION_OFFSET) - raw.headerLong(HEAD_POSITION_OFFSET), "full: tail - head = capacity");
            }
            assertThrows(TransportTimeoutException.class, () -> sender.claim(960, Deadline.after(SHORT)));

            receiveAndCheck(receiver, 960, 0);
            send(sender, 960, 4);
            for (int i = 1; i <= 4; i++) {
                receiveAndCheck(receiver, 960, i);
            }
            assertThrows(TransportTimeoutException.class, () -> receiver.receive(Deadline.after(SHORT)));
        }
    }

    @Test
    void wrapsAroundWithAPaddingRecordAndStartsTheFrameAtOffsetZero() {
        try (FrameReceiver receiver = openReceiver(""); FrameSender sender = openSender(receiver, "");
             RawRing raw = new RawRing(receiver.endpoint())) {
            fillAndDrainThreeQuarters(sender, receiver); // tail at offset 3072
            send(sender, 1472, 2); // a 1536-byte record, 1024 bytes left before the end

            assertEquals(PADDING_RECORD, raw.recordInt(3072, RECORD_TYPE_OFFSET));
            assertEquals(1024, raw.recordInt(3072, RECORD_LENGTH_OFFSET), "padding fills exactly the bytes up to the end");
            assertEquals(FRAME_RECORD, raw.recordInt(0, RECORD_TYPE_OFFSET));
            assertEquals(64 + 1472, raw.recordInt(0, RECORD_LENGTH_OFFSET));
            assertEquals(2, raw.dataByte(64), "the frame's first byte right after its record header at offset 0");
            assertEquals(3072 + 1024 + 1536, raw.headerLong(TAIL_POSITION_OFFSET), "one tail store covers padding and frame");

            receiveAndCheck(receiver, 1472, 2);
            assertEquals(3072 + 1024 + 1536, raw.headerLong(HEAD_POSITION_OFFSET), "released with the frame after it");
        }
    }

    @Test
    void fillsTheBytesUpToTheRingsEndWithoutPadding() {
        try (FrameReceiver receiver = openReceiver(""); FrameSender sender = openSender(receiver, "");
             RawRing raw = new RawRing(receiver.endpoint())) {
            fillAndDrainThreeQuarters(sender, receiver); // tail at offset 3072
            send(sender, 960, 2); // a 1024-byte record, exactly the bytes left

            assertEquals(FRAME_RECORD, raw.recordInt(3072, RECORD_TYPE_OFFSET));
            assertEquals(64 + 960, raw.recordInt(3072, RECORD_LENGTH_OFFSET));
            assertEquals(RING, raw.headerLong(TAIL_POSITION_OFFSET));
            receiveAndCheck(receiver, 960, 2);

            send(sender, 100, 3); // starts the next lap at offset 0, no padding needed
            assertEquals(FRAME_RECORD, raw.recordInt(0, RECORD_TYPE_OFFSET));
            assertEquals(64 + 100, raw.recordInt(0, RECORD_LENGTH_OFFSET));
            assertEquals(RING + 192, raw.headerLong(TAIL_POSITION_OFFSET), "164 bytes aligned up to 192");
            receiveAndCheck(receiver, 100, 3);
        }
    }

    @Test
    void rejectsFrameLargerThanRing() {
        try (FrameReceiver receiver = transport.openReceiver(options(";shm.ringBytes=8388608"), 1024);
             FrameSender sender = openSender(receiver, "")) {
            BadInputException e = assertThrows(BadInputException.class, () -> sender.claim(8_294_464, Deadline.after(LONG)));
            assertEquals("frame does not fit ring: frameBytes=8294464 maxRecordBytes=4194304; raise shm.ringBytes to >= 16777216", e.getMessage());

            int largest = 4_194_304 - 64;
            assertEquals(largest, sender.claim(largest, Deadline.after(LONG)).byteSize(), "a record of half the ring fits");
            sender.commit();
            assertEquals(largest, receiver.receive(Deadline.after(LONG)).byteSize());
            receiver.release();
        }
    }

    @Test
    void refusesASecondSenderWithoutDisturbingTheFirst() {
        try (FrameReceiver receiver = openReceiver(""); FrameSender first = openSender(receiver, "")) {
            TransportException e = assertThrows(TransportException.class, () -> transport.openSender(receiver.endpoint(), TransportOptions.NONE));
            assertEquals("ring " + receiver.endpoint() + " already has a sender (pid " + ProcessHandle.current().pid()
                    + "); one sender per receiver", e.getMessage());
            send(first, 100, 7);
            receiveAndCheck(receiver, 100, 7);
        }
    }

    @Test
    void endsTheStreamCleanlyAfterTheLastCommittedFrame() {
        try (FrameReceiver receiver = openReceiver("")) {
            FrameSender sender = openSender(receiver, "");
            send(sender, 100, 1);
            send(sender, 200, 2);
            sender.claim(300, Deadline.after(LONG)); // never committed: not part of the stream
            sender.close();

            receiveAndCheck(receiver, 100, 1);
            receiveAndCheck(receiver, 200, 2);
            assertNull(receiver.receive(Deadline.after(LONG)));
            assertNull(receiver.receive(Deadline.after(LONG)), "end of stream stays the end");
        }
    }

    @Test
    void detectsASenderThatDiedWithoutClosing() throws Exception {
        long deadPid = exitedProcessPid();
        try (FrameReceiver receiver = openReceiver(""); RawRing raw = new RawRing(receiver.endpoint())) {
            raw.setHeaderLong(PRODUCER_PID_OFFSET, deadPid); // as if that process had attached, then crashed
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(Deadline.after(LONG)));
            assertEquals("sender pid " + deadPid + " died without closing the stream on ring " + receiver.endpoint(), e.getMessage());
        }
    }

    @Test
    void detectsAReceiverThatDiedWhileTheSenderWaitsForSpace() throws Exception {
        long deadPid = exitedProcessPid();
        try (FrameReceiver receiver = openReceiver(""); RawRing raw = new RawRing(receiver.endpoint())) {
            raw.setHeaderLong(CONSUMER_PID_OFFSET, deadPid);
            try (FrameSender sender = openSender(receiver, "")) {
                for (int i = 0; i < 4; i++) {
                    send(sender, 960, i);
                }
                TransportException e = assertThrows(TransportException.class, () -> sender.claim(960, Deadline.after(LONG)));
                assertEquals("receiver pid " + deadPid + " died; nothing consumes ring " + receiver.endpoint(), e.getMessage());
            }
        }
    }

    @Test
    void rejectsACorruptRecordNamingWhatItFound() {
        try (FrameReceiver receiver = openReceiver(""); FrameSender sender = openSender(receiver, "");
             RawRing raw = new RawRing(receiver.endpoint())) {
            send(sender, 100, 1);
            raw.setRecordInt(0, RECORD_TYPE_OFFSET, 7);
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(Deadline.after(LONG)));
            assertTrue(e.getMessage().startsWith("corrupt ring " + receiver.endpoint() + ": record at position=0 offset=0 has type=7 recordLength=164"),
                    e.getMessage());
        }
    }

    @Test
    void refusesAnEndpointThatIsNoRing() throws Exception {
        Path notARing = Files.write(dir.resolve("not-a-ring"), new byte[8192]);
        TransportException e = assertThrows(TransportException.class, () -> transport.openSender(notARing.toString(), TransportOptions.NONE));
        assertEquals("not a framebench ring: " + notARing + " has magic=0x00000000, expected 0x47524246 (\"FBRG\")", e.getMessage());

        Path missing = dir.resolve("missing");
        e = assertThrows(TransportException.class, () -> transport.openSender(missing.toString(), TransportOptions.NONE));
        assertEquals("no ring file " + missing + "; start the receiver first and pass the endpoint it prints", e.getMessage());
    }

    @Test
    void issuesNoWakeUpWhileNeitherSideSleeps() {
        try (FrameReceiver receiver = openReceiver(";idle=futex"); FrameSender sender = openSender(receiver, ";idle=futex");
             RawRing raw = new RawRing(receiver.endpoint())) {
            for (int i = 0; i < 3; i++) {
                send(sender, 960, i);
            }
            for (int i = 0; i < 3; i++) {
                receiveAndCheck(receiver, 960, i);
            }
            assertEquals(0, raw.headerInt(DATA_FUTEX_OFFSET), "no wake-up for a receiver that was not waiting");
            assertEquals(0, raw.headerInt(SPACE_FUTEX_OFFSET), "no wake-up for a sender that was not waiting");
        }
    }

    @Test
    void wakesAReceiverSleepingForAFrame() throws Exception {
        try (FrameReceiver receiver = openReceiver(";idle=futex"); FrameSender sender = openSender(receiver, ";idle=futex");
             RawRing raw = new RawRing(receiver.endpoint())) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                long bytes = receiver.receive(Deadline.after(LONG)).byteSize();
                receiver.release();
                return bytes;
            });
            awaitFlag(raw, DATA_WAITER_OFFSET, received);
            send(sender, 960, 1);
            assertEquals(960, received.get(30, TimeUnit.SECONDS));
            assertEquals(0, raw.headerInt(DATA_WAITER_OFFSET), "an awake receiver is no longer flagged");
        }
    }

    @Test
    void wakesASenderSleepingForSpace() throws Exception {
        try (FrameReceiver receiver = openReceiver(";idle=futex"); FrameSender sender = openSender(receiver, ";idle=futex");
             RawRing raw = new RawRing(receiver.endpoint())) {
            for (int i = 0; i < 4; i++) {
                send(sender, 960, i);
            }
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> send(sender, 960, 4));
            awaitFlag(raw, SPACE_WAITER_OFFSET, sent);
            receiveAndCheck(receiver, 960, 0);
            sent.get(30, TimeUnit.SECONDS);
            assertEquals(0, raw.headerInt(SPACE_WAITER_OFFSET), "an awake sender is no longer flagged");
            for (int i = 1; i <= 4; i++) {
                receiveAndCheck(receiver, 960, i);
            }
        }
    }

    private TransportOptions options(String extra) {
        return TransportOptions.parse("shm.dir=" + dir + extra);
    }

    private FrameReceiver openReceiver(String extra) {
        return transport.openReceiver(options(";shm.ringBytes=" + RING + extra), 1024);
    }

    private FrameSender openSender(FrameReceiver receiver, String extra) {
        FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.parse(extra));
        receiver.awaitSender(Deadline.after(LONG));
        return sender;
    }

    private static void fillAndDrainThreeQuarters(FrameSender sender, FrameReceiver receiver) {
        for (int i = 0; i < 3; i++) {
            send(sender, 960, 10 + i);
        }
        for (int i = 0; i < 3; i++) {
            receiveAndCheck(receiver, 960, 10 + i);
        }
    }

    private static void send(FrameSender sender, int frameBytes, int value) {
        sender.claim(frameBytes, Deadline.after(LONG)).fill((byte) value);
        sender.commit();
    }

    private static void receiveAndCheck(FrameReceiver receiver, int frameBytes, int value) {
        MemorySegment frame = receiver.receive(Deadline.after(LONG));
        assertNotNull(frame);
        assertTrue(frame.isReadOnly());
        byte[] expected = new byte[frameBytes];
        Arrays.fill(expected, (byte) value);
        assertEquals(-1, frame.mismatch(MemorySegment.ofArray(expected)), "frame " + value + " arrived whole");
        receiver.release();
    }

    /** Waits until a side has flagged itself asleep (or finished: a wake-up race it won is fine too). */
    private static void awaitFlag(RawRing raw, int offset, CompletableFuture<?> waiter) throws InterruptedException {
        while (raw.headerInt(offset) == 0 && !waiter.isDone()) {
            Thread.sleep(1);
        }
    }

    private static long exitedProcessPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
