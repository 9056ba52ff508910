package dev.framebench.transport;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.socket.Strangers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run's sender only (issue 21, finding 2), once for every transport a stranger can reach first: the
 * listeners (a stranger connects) and the rings (a stranger claims the producer slot). With the run's token
 * the receiver takes only the sender that presents it: a stranger that came first, with valid frames, with
 * garbage, with a wrong token, or with nothing at all, is refused and counted, and the real sender's
 * stream arrives whole and verified. Without a token the first sender is taken, as before.
 *
 * <p>Real sockets, real mappings, a real Aeron driver; a ring's stranger is a second JVM
 * ({@link RingStranger}) that writes the ring by its documented offsets. A listener's stranger is a raw
 * socket, or the transport's own sender given no token (or the wrong one), which sends valid frames; so is
 * aeron-ipc's, whose publication reaches the receiver's driver first.
 */
@org.junit.jupiter.api.extension.ExtendWith(StrangerRows.class)
class StrangerTest {
    private static final FramePreset PRESET = FramePreset.P720_I420;
    private static final int FRAMES = 6;
    private static final RunToken TOKEN = RunToken.random();
    private static final TransportOptions WITH_TOKEN = TransportOptions.parse("token=" + TOKEN.hex());
    private static final TransportOptions WRONG_TOKEN = TransportOptions.parse("token=" + RunToken.random().hex());
    /** How long a count may take to show (a refusal is counted on the receiver's own threads). */
    private static final long COUNT_WAIT_MILLIS = 20_000;

    private final List<AutoCloseable> cleanUp = new ArrayList<>();

    static Stream<String> listeners() {
        return Stream.of("tcp", "tcp-netty", "uds-jdk", "uds-junix", "ws-netty", "ws-javaws", "file-handoff", "s3-handoff");
    }

    static Stream<String> rings() {
        return Stream.of("shm-ffm", "shm-agrona", "shm-agrona-mpsc");
    }

    /** Where a stranger can be first with the transport's own sender: the listeners, and aeron-ipc's driver. */
    static Stream<String> firstComeBySender() {
        return Stream.concat(listeners(), Stream.of("aeron-ipc"));
    }

    static Stream<String> reachableByStrangers() {
        return Stream.concat(firstComeBySender(), rings());
    }

    /** Transports whose second sender fails to open: the rings (the slot is taken) and aeron-ipc (so is the session). */
    private static boolean refusesASecondSenderAtOpen(String name) {
        return name.startsWith("shm-") || name.equals("aeron-ipc");
    }

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanUp.reversed()) {
            c.close();
        }
    }

    private FrameReceiver open(String name, TransportOptions options) {
        FrameReceiver receiver = TransportRegistry.byName(name).openReceiver(options, PRESET.frameBytes());
        cleanUp.add(receiver);
        return receiver;
    }

    // ---- (a) a stranger first, with valid frames ----

    @ParameterizedTest
    @MethodSource("firstComeBySender")
    void aStrangerThatConnectsFirstWithValidFramesIsRefusedAndTheSenderStreamsIntact(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        CompletableFuture<Void> stranger = strangerSending(name, receiver.endpoint(), TransportOptions.NONE);
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
        stranger.get(30, TimeUnit.SECONDS);
        awaitCount(receiver, 1);
    }

    @ParameterizedTest
    @MethodSource("rings")
    void aStrangerProcessThatClaimsTheRingFirstWithValidFramesIsEvictedAndTheSenderStreamsIntact(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        cleanUp.add(RingStranger.claimFirst(name, receiver.endpoint(), RingStranger.Mode.FRAMES));
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
        assertEquals(1, receiver.foreignConnectionsRefused());
    }

    // ---- (b) a stranger first, with garbage ----

    @ParameterizedTest
    @MethodSource("listeners")
    void aStrangerThatSendsGarbageFirstIsRefusedAndTheSessionSurvives(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        SocketChannel stranger = connectRaw(name, receiver.endpoint());
        // Ends the header of an HTTP request, so that a WebSocket receiver parses it and fails at once.
        stranger.write(ByteBuffer.wrap("GARBAGE, NOT A HELLO\r\n\r\n\u0000\u0001\u0002".getBytes(StandardCharsets.ISO_8859_1)));
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
        awaitCount(receiver, 1);
    }

    @ParameterizedTest
    @MethodSource("rings")
    void aStrangerProcessThatClaimsTheRingWithAGarbageHelloIsEvictedAndTheSessionSurvives(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        cleanUp.add(RingStranger.claimFirst(name, receiver.endpoint(), RingStranger.Mode.GARBAGE));
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
        assertEquals(1, receiver.foreignConnectionsRefused());
    }

    // ---- (c) a sender with a wrong token ----

    @ParameterizedTest
    @MethodSource("firstComeBySender")
    void aSenderWithAWrongTokenIsRefusedAndTheRealSenderStreamsIntact(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        CompletableFuture<Void> wrong = strangerSending(name, receiver.endpoint(), WRONG_TOKEN);
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
        wrong.get(30, TimeUnit.SECONDS);
        awaitCount(receiver, 1);
    }

    @ParameterizedTest
    @MethodSource("rings")
    void aRingSenderWithAWrongTokenIsEvictedAndFailsSayingSoWhileTheRealSenderStreamsIntact(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        CompletableFuture<Void> wrong = sending(name, receiver.endpoint(), WRONG_TOKEN);
        // A ring's receiver judges claims while it waits for its sender: wait in short steps until the wrong one is judged.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!wrong.isDone() && System.nanoTime() < until) {
            try {
                receiver.awaitSender(Deadline.after(Duration.ofMillis(200)));
            } catch (TransportException stillWaiting) {
                // As expected: the real sender is not there yet.
            }
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> wrong.get(1, TimeUnit.SECONDS));
        assertInstanceOf(TransportException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("refused this sender's hello"), e.getCause().getMessage());
        assertEquals(1, receiver.foreignConnectionsRefused());
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
        assertEquals(1, receiver.foreignConnectionsRefused());
    }

    // ---- a stranger first that says nothing ----

    @ParameterizedTest
    @MethodSource("listeners")
    void aSilentStrangerThatConnectsFirstDoesNotHoldBackTheSender(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        cleanUp.add(connectRaw(name, receiver.endpoint()));
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
    }

    /**
     * One producer: the stalled claim holds the only slot until the receiver evicts it at the hello deadline,
     * while the real sender waits to claim. Many producers: the real sender takes another slot at once.
     */
    @ParameterizedTest
    @MethodSource("rings")
    void aStrangerProcessThatClaimsTheRingAndStallsCannotLockOutTheSender(String name) throws Exception {
        FrameReceiver receiver = open(name, WITH_TOKEN);
        RingStranger stranger = RingStranger.claimFirst(name, receiver.endpoint(), RingStranger.Mode.STALL);
        cleanUp.add(stranger);
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertTrue(stranger.isAlive(), "the stranger still lives: not evicted because it died");
        if (!TransportRegistry.byName(name).fanIn()) {
            assertEquals(1, receiver.foreignConnectionsRefused(), "the stalled claim was evicted at the hello deadline");
        }
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
    }

    // ---- (d) without a token ----

    @ParameterizedTest
    @MethodSource("reachableByStrangers")
    void withoutATokenTheFirstSenderIsTaken(String name) throws Exception {
        Transport transport = TransportRegistry.byName(name);
        FrameReceiver receiver = open(name, TransportOptions.NONE);
        FrameSender first = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
        receiver.awaitSender(seconds(30));
        if (!transport.fanIn()) {
            if (refusesASecondSenderAtOpen(name)) {
                TransportException e = assertThrows(TransportException.class, () -> transport.openSender(receiver.endpoint(), TransportOptions.NONE));
                assertTrue(e.getMessage().contains("already has a sender"), e.getMessage());
            } else {
                Strangers.assertRefusedAndCounted(receiver, address(name, receiver.endpoint()), 1);
            }
        }
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sendAndClose(first));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @MethodSource("reachableByStrangers")
    void aSenderGivenATokenIsTakenByAReceiverGivenNone(String name) throws Exception {
        FrameReceiver receiver = open(name, TransportOptions.NONE);
        CompletableFuture<Void> sent = sending(name, receiver.endpoint(), WITH_TOKEN);
        receiver.awaitSender(seconds(30));
        assertStreamIntact(receiver);
        sent.get(30, TimeUnit.SECONDS);
        assertEquals(0, receiver.foreignConnectionsRefused());
    }

    // ---- helpers ----

    /** The real sender: opens with {@code options} and sends the stream, in the background. */
    private static CompletableFuture<Void> sending(String name, String endpoint, TransportOptions options) {
        return CompletableFuture.runAsync(() -> sendAndClose(TransportRegistry.byName(name).openSender(endpoint, options)));
    }

    private static void sendAndClose(FrameSender sender) {
        try (sender; FramePool pool = new FramePool(PRESET, 2)) {
            for (long seq = 0; seq < FRAMES; seq++) {
                sender.send(pool.stamp(0, seq, System.nanoTime()), seconds(30));
            }
        }
    }

    /**
     * A stranger that uses the transport's own sender with {@code options} (no token, or a wrong one): it
     * sends valid frames until it is refused (aeron-ipc: until its unread publication stalls it past a short
     * deadline). Returns once its sender is open, so it really came first; its future ends with the failure
     * the refusal caused, if any.
     */
    private CompletableFuture<Void> strangerSending(String name, String endpoint, TransportOptions options) throws InterruptedException {
        CountDownLatch opened = new CountDownLatch(1);
        CompletableFuture<Void> stranger = CompletableFuture.runAsync(() -> {
            FrameSender sender;
            try {
                sender = TransportRegistry.byName(name).openSender(endpoint, options);
            } catch (TransportException refusedAtOnce) {
                // A sender that waits for its hello to be written (ws-javaws) may see the refusal already.
                return;
            } finally {
                opened.countDown();
            }
            try (sender; FramePool pool = new FramePool(PRESET, 1)) {
                for (long seq = 0; seq < 1000; seq++) {
                    sender.send(pool.stamp(9, seq, seq), seconds(5));
                }
            } catch (TransportException refused) {
                // Refused: what a stranger gets.
            }
        });
        assertTrue(opened.await(30, TimeUnit.SECONDS), "the stranger's sender did not open");
        return stranger;
    }

    /** Every frame of the real sender (stream 0), verified, then a clean end of stream. */
    private static void assertStreamIntact(FrameReceiver receiver) {
        FrameVerifier verifier = new FrameVerifier();
        for (long seq = 0; seq < FRAMES; seq++) {
            MemorySegment frame = receiver.receive(seconds(30));
            verifier.verify(frame);
            assertEquals(0, FrameHeader.streamId(frame), "a frame of the real sender's stream");
            assertEquals(seq, FrameHeader.sequence(frame));
            receiver.release();
        }
        assertNull(receiver.receive(seconds(30)), "end of stream after the real sender's last frame");
    }

    private static void awaitCount(FrameReceiver receiver, int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COUNT_WAIT_MILLIS);
        while (receiver.foreignConnectionsRefused() < count && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(count, receiver.foreignConnectionsRefused(), "refused and counted");
    }

    private static SocketAddress address(String name, String endpoint) {
        if (name.startsWith("uds-")) {
            return UnixDomainSocketAddress.of(endpoint);
        }
        // file-handoff's endpoint is HOST:PORT/FOLDER, s3-handoff's HOST:PORT|STORE|...: the address comes first.
        int end = endpoint.indexOf(name.equals("s3-handoff") ? '|' : '/');
        return InetAddresses.parse("endpoint", end < 0 ? endpoint : endpoint.substring(0, end));
    }

    private SocketChannel connectRaw(String name, String endpoint) throws IOException {
        SocketAddress address = address(name, endpoint);
        SocketChannel channel = SocketChannel.open(address instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        channel.connect(address);
        cleanUp.add(channel);
        return channel;
    }
}
