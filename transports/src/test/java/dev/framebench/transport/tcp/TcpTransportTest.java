package dev.framebench.transport.tcp;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tcp transport's own edges, on real loopback sockets; frames across two JVMs are the conformance suite's. */
class TcpTransportTest {
    private static final TcpTransport TCP = new TcpTransport();

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "selector"})
    void carriesFramesAndEndsCleanlyInEitherIoMode(String io) throws Exception {
        TransportOptions options = TransportOptions.parse("tcp.io=" + io);
        try (FrameReceiver receiver = TCP.openReceiver(options); FramePool pool = new FramePool(FramePreset.P720_I420, 3)) {
            assertTrue(receiver.endpoint().startsWith("127.0.0.1:"), receiver.endpoint());
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = TCP.openSender(receiver.endpoint(), options)) {
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
            assertEquals(io, receiver.describe().get("io"));
        }
    }

    @Test
    void claimAndCommitCarryAFrameWrittenInPlace() {
        try (FrameReceiver receiver = TCP.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = TCP.openSender(receiver.endpoint(), TransportOptions.NONE)) {
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
    void refusesAndCountsForeignConnectionsWithoutDisturbingTheFirst() throws Exception {
        try (FrameReceiver receiver = TCP.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 2)) {
            FrameSender sender = TCP.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            InetSocketAddress address = InetAddresses.parse("endpoint", receiver.endpoint());
            Strangers.assertRefusedAndCounted(receiver, address, 1);
            Strangers.assertRefusedAndCounted(receiver, address, 2);
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

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "selector"})
    void receiveTimesOutWhenTheSenderStalls(String io) throws Exception {
        TransportOptions options = TransportOptions.parse("tcp.io=" + io);
        try (FrameReceiver receiver = TCP.openReceiver(options);
             SocketChannel silent = SocketChannel.open(InetAddresses.parse("endpoint", receiver.endpoint()))) {
            receiver.awaitSender(seconds(10));
            long deadline = Deadline.after(Duration.ofMillis(300));
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> receiver.receive(deadline));
            assertTrue(e.getMessage().startsWith("timed out reading a frame header (sender on tcp://"), e.getMessage());
            assertTrue(silent.isOpen());
        }
    }

    @Test
    void awaitSenderTimesOutWhenNobodyConnects() {
        try (FrameReceiver receiver = TCP.openReceiver(TransportOptions.NONE)) {
            assertThrows(TransportTimeoutException.class, () -> receiver.awaitSender(Deadline.after(Duration.ofMillis(200))));
        }
    }

    @Test
    void reportsASenderThatClosesMidFrame() throws IOException {
        try (FrameReceiver receiver = TCP.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            try (SocketChannel raw = SocketChannel.open(InetAddresses.parse("endpoint", receiver.endpoint()))) {
                receiver.awaitSender(seconds(10));
                ByteBuffer half = pool.stamp(0, 0, 0).asSlice(0, 100_000).asByteBuffer();
                while (half.hasRemaining()) {
                    raw.write(half);
                }
            }
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().contains("closed the connection mid-frame: got 99936 of 1382400 bytes of a frame payload"), e.getMessage());
        }
    }

    @Test
    void rejectsAPortInUseSayingHowToFixIt() {
        try (FrameReceiver first = TCP.openReceiver(TransportOptions.NONE)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> TCP.openReceiver(TransportOptions.parse("listen=" + first.endpoint())));
            assertTrue(e.getMessage().startsWith("cannot listen on " + first.endpoint()), e.getMessage());
            assertTrue(e.getMessage().endsWith("choose a free port with listen=HOST:PORT or port 0 for any"), e.getMessage());
        }
    }

    @Test
    void rejectsMalformedAddressesWithoutResolvingNames() {
        assertEquals("bad address for listen: 'localhost'; write HOST:PORT, e.g. 127.0.0.1:7000",
                assertThrows(BadInputException.class, () -> TCP.openReceiver(TransportOptions.parse("listen=localhost"))).getMessage());
        assertEquals("bad port for listen: '127.0.0.1:70000'; the port is a number from 0 to 65535",
                assertThrows(BadInputException.class, () -> TCP.openReceiver(TransportOptions.parse("listen=127.0.0.1:70000"))).getMessage());
        assertEquals("bad host for endpoint: 'example.com'; give a literal IP address such as 127.0.0.1",
                assertThrows(BadInputException.class, () -> TCP.openSender("example.com:80", TransportOptions.NONE)).getMessage());
    }
}
