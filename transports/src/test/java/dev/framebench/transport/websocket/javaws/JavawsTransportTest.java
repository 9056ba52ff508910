package dev.framebench.transport.websocket.javaws;

import dev.framebench.transport.socket.Strangers;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.socket.InetAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ws-javaws transport's own edges, on real loopback sockets; frames across two JVMs are the
 * conformance suite's. Senders run as threads of this JVM here.
 */
class JavawsTransportTest {
    private static final JavawsTransport WS = new JavawsTransport();

    /**
     * The worked example of docs/WIRE.md: a 4x2 I420 frame (64-byte header, sequence 0, sendTimeNanos 10^9,
     * payload bytes 0x00..0x0b) as one masked binary WebSocket frame with masking key 37 fa 21 3d.
     */
    private static final String WORKED_EXAMPLE_FRAME = "82cc37fa213d"
            + "71b8670c36fa203d33fa233d37fa213d37fa213d37fa213d3730bb0637fa213d"
            + "3bfa213d8d50a26e37fa213d37fa213d37fa213d37fa213d37fa213d37fa213d"
            + "37fb233e33ff273a3ff32b36";
    /** A masked close frame, code 1000, same masking key. */
    private static final String CLOSE_NORMAL = "888237fa213d3412";

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ws.mask=false", "ws.fragment=131072", "ws.deflate=true", "ws.fragment=100000;ws.deflate=true;ws.mask=false"})
    void carriesFramesAndEndsCleanlyWithEachOption(String optionLine) throws Exception {
        TransportOptions options = TransportOptions.parse(optionLine);
        try (FrameReceiver receiver = WS.openReceiver(options); FramePool pool = new FramePool(FramePreset.P720_I420, 3)) {
            assertTrue(receiver.endpoint().startsWith("127.0.0.1:"), receiver.endpoint());
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = WS.openSender(receiver.endpoint(), options)) {
                    for (long seq = 0; seq < 12; seq++) {
                        sender.send(pool.stamp(0, seq, seq), seconds(10));
                    }
                }
            });
            receiver.awaitSender(seconds(10));
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i < 12; i++) {
                verifier.verify(receiver.receive(seconds(10)));
                receiver.release();
            }
            assertNull(receiver.receive(seconds(10)), "end of stream after the last frame");
            assertNull(receiver.receive(seconds(10)), "and ever after");
            sent.get();
            assertEquals(Boolean.toString(optionLine.contains("ws.deflate=true")), receiver.describe().get("permessageDeflate"));
        }
    }

    @Test
    void claimAndCommitCarryAFrameWrittenInPlace() {
        try (FrameReceiver receiver = WS.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = WS.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                    sender.claim(FramePreset.P720_I420.frameBytes(), seconds(10)).copyFrom(pool.stamp(0, 0, 0));
                    sender.commit();
                }
            });
            receiver.awaitSender(seconds(10));
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            sent.join();
        }
    }

    @Test
    void rejectsZeroFragmentSize() {
        TransportOptions zero = TransportOptions.parse("ws.fragment=0");
        String expected = "bad value for option ws.fragment: ws.fragment=0; allowed: a whole number from 1 to 24883328";
        assertEquals(expected, assertThrows(BadInputException.class, () -> WS.openReceiver(zero)).getMessage());
        assertEquals(expected, assertThrows(BadInputException.class, () -> WS.openSender("127.0.0.1:9", zero)).getMessage());
    }

    @Test
    void refusesAndCountsForeignConnectionsWithoutDisturbingTheFirst() throws Exception {
        try (FrameReceiver receiver = WS.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 2)) {
            FrameSender first = WS.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            Strangers.assertRefusedAndCounted(receiver, InetAddresses.parse("endpoint", receiver.endpoint()), 1);
            Strangers.assertRefusedAndCounted(receiver, InetAddresses.parse("endpoint", receiver.endpoint()), 2);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                first.send(pool.stamp(0, 0, 0), seconds(10));
                first.close();
            });
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
            sent.get();
        }
    }

    @Test
    void receiveTimesOutWhenSenderIsSilent() {
        try (FrameReceiver receiver = WS.openReceiver(TransportOptions.NONE)) {
            FrameSender silent = WS.openSender(receiver.endpoint(), TransportOptions.NONE);
            try {
                receiver.awaitSender(seconds(10));
                long deadline = Deadline.after(Duration.ofMillis(300));
                TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> receiver.receive(deadline));
                assertEquals("timed out waiting for a frame from the sender on ws://" + receiver.endpoint() + "/frames", e.getMessage());
            } finally {
                silent.close();
            }
        }
    }

    @Test
    void rejectsAPortInUseSayingHowToFixIt() {
        Set<Thread> before = serverThreads();
        try (FrameReceiver first = WS.openReceiver(TransportOptions.NONE)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> WS.openReceiver(TransportOptions.parse("listen=" + first.endpoint())));
            assertTrue(e.getMessage().startsWith("cannot listen on " + first.endpoint() + ": "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; choose a free port with listen=HOST:PORT or port 0 for any"), e.getMessage());
        }
        Set<Thread> leftOver = serverThreads();
        leftOver.removeAll(before);
        leftOver.removeIf(t -> !t.isAlive());
        assertEquals(Set.of(), leftOver);
    }

    @Test
    void reportsThatNobodyListens() {
        String endpoint;
        try (FrameReceiver gone = WS.openReceiver(TransportOptions.NONE)) {
            endpoint = gone.endpoint();
        }
        TransportException e = assertThrows(TransportException.class, () -> WS.openSender(endpoint, TransportOptions.NONE));
        assertTrue(e.getMessage().startsWith("cannot open a WebSocket to ws://" + endpoint + "/frames: no connection (ConnectException: "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; is a receiver listening there (scripts/framebench receive --transport ws-javaws)?"), e.getMessage());
    }

    @Test
    void awaitSenderTimesOutNamingARefusedHandshake() throws IOException {
        try (FrameReceiver receiver = WS.openReceiver(TransportOptions.NONE);
             Socket wrongPath = new Socket()) {
            connect(wrongPath, receiver.endpoint());
            String response = handshake(wrongPath, receiver.endpoint(), "/video");
            assertTrue(response.startsWith("HTTP/1.1 404 "), response);
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class,
                    () -> receiver.awaitSender(Deadline.after(Duration.ofMillis(300))));
            assertEquals("timed out waiting for a sender to connect to ws://" + receiver.endpoint()
                    + "/frames; refused a handshake: path /video is not /frames", e.getMessage());
        }
    }

    @Test
    void acceptsTheWorkedExampleBytesOfWireMd() throws IOException {
        try (FrameReceiver receiver = WS.openReceiver(TransportOptions.NONE); Socket raw = new Socket()) {
            connect(raw, receiver.endpoint());
            String response = handshake(raw, receiver.endpoint(), "/frames");
            assertTrue(response.startsWith("HTTP/1.1 101 "), response);
            // RFC 6455 section 1.3: the accept value for the sample key this handshake sends.
            assertTrue(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), response);
            receiver.awaitSender(seconds(10));
            OutputStream out = raw.getOutputStream();
            out.write(HexFormat.of().parseHex(WORKED_EXAMPLE_FRAME + CLOSE_NORMAL));
            out.flush();
            var frame = receiver.receive(seconds(10));
            new FrameVerifier().verify(frame);
            assertEquals(76, frame.byteSize());
            receiver.release();
            assertNull(receiver.receive(seconds(10)), "a close frame with code 1000 ends the stream cleanly");
        }
    }

    @Test
    void reportsASenderThatDropsTheConnectionMidMessage() throws IOException {
        try (FrameReceiver receiver = WS.openReceiver(TransportOptions.NONE)) {
            try (Socket raw = new Socket()) {
                connect(raw, receiver.endpoint());
                handshake(raw, receiver.endpoint(), "/frames");
                receiver.awaitSender(seconds(10));
                // The first 40 of the worked example's 82 bytes, then the socket closes with no close frame.
                raw.getOutputStream().write(HexFormat.of().parseHex(WORKED_EXAMPLE_FRAME.substring(0, 80)));
            }
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().startsWith("the sender's connection to ws://" + receiver.endpoint()
                    + "/frames ended without a clean close: code=1006 (no close frame: the connection dropped)"), e.getMessage());
        }
    }

    @Test
    void bothEndsMustAgreeOnDeflate() {
        try (FrameReceiver plain = WS.openReceiver(TransportOptions.NONE)) {
            BadInputException e = assertThrows(BadInputException.class, () -> WS.openSender(plain.endpoint(), TransportOptions.parse("ws.deflate=true")));
            assertEquals("receiver at ws://" + plain.endpoint() + "/frames did not accept permessage-deflate; give ws.deflate=true to both ends",
                    e.getMessage());
        }
        try (FrameReceiver deflating = WS.openReceiver(TransportOptions.parse("ws.deflate=true"))) {
            TransportException e = assertThrows(TransportException.class, () -> WS.openSender(deflating.endpoint(), TransportOptions.NONE));
            assertTrue(e.getMessage().contains("404"), e.getMessage());
            TransportTimeoutException wait = assertThrows(TransportTimeoutException.class,
                    () -> deflating.awaitSender(Deadline.after(Duration.ofMillis(100))));
            assertTrue(wait.getMessage().endsWith("refused a handshake: the sender did not offer permessage-deflate, which ws.deflate=true requires"),
                    wait.getMessage());
        }
    }

    @Test
    void aReceiverThatFallsBehindStallsTheSenderAndStillClosesEveryThread() throws Exception {
        Set<Thread> before = serverThreads();
        FrameReceiver receiver = WS.openReceiver(TransportOptions.NONE);
        Set<Thread> started = serverThreads();
        started.removeAll(before);
        assertEquals(2, started.size(), "a selector and a decoder thread: " + started);
        try (receiver; FramePool pool = new FramePool(FramePreset.P720_I420, 2);
             FrameSender sender = WS.openSender(receiver.endpoint(), TransportOptions.NONE)) {
            receiver.awaitSender(seconds(10));
            // 100 frames are 138 MB: without back-pressure all would be queued before the first send timed out.
            AtomicLong sent = new AtomicLong();
            TransportTimeoutException stalled = assertThrows(TransportTimeoutException.class, () -> {
                for (; sent.get() < 100; sent.incrementAndGet()) {
                    sender.send(pool.stamp(0, sent.get(), 0), Deadline.after(Duration.ofMillis(500)));
                }
            });
            assertTrue(sent.get() < 100, "sent " + sent.get());
            assertEquals("timed out waiting for the receiver at ws://" + receiver.endpoint() + "/frames to take a frame", stalled.getMessage());
            FrameVerifier verifier = new FrameVerifier();
            verifier.verify(receiver.receive(seconds(10)));
            receiver.release();
            // Closed while the sender's writes are still blocked and the library's decoder waits for room.
            receiver.close();
            for (Thread thread : started) {
                assertFalse(thread.isAlive(), thread.getName() + " outlived close()");
            }
        }
    }

    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("WebSocketSelector-") || t.getName().startsWith("WebSocketWorker-"))
                .collect(Collectors.toSet());
    }

    private static void connect(Socket socket, String endpoint) throws IOException {
        socket.connect(InetAddresses.parse("endpoint", endpoint), 10_000);
        socket.setSoTimeout(10_000);
    }

    /** Sends an RFC 6455 opening handshake by hand and returns the response head. */
    private static String handshake(Socket socket, String endpoint, String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + endpoint + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
