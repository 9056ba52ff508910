package dev.framebench.transport.netty;

import dev.framebench.transport.socket.Strangers;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.socket.InetAddresses;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What both Netty transports share, on real loopback sockets in one JVM; frames between two JVMs are the
 * conformance suite's. A WebSocket sender's close waits for the receiver's answer, so every test closes
 * its sender on another thread while this one receives the end of stream.
 */
class NettyTransportTest {
    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @ParameterizedTest
    @CsvSource({"tcp-netty, auto", "tcp-netty, nio", "tcp-netty, epoll", "ws-netty, auto", "ws-netty, nio", "ws-netty, epoll"})
    void reportsWhichNettyTransportRan(String name, String choice) throws Exception {
        assumeTrue(!choice.equals("epoll") || Epoll.isAvailable(), "native epoll does not load here");
        Transport transport = TransportRegistry.byName(name);
        TransportOptions options = TransportOptions.parse("netty.transport=" + choice);
        String expected = choice.equals("auto") ? (Epoll.isAvailable() ? "epoll" : "nio") : choice;
        try (FrameReceiver receiver = transport.openReceiver(options); FramePool pool = new FramePool(FramePreset.P720_I420, 2)) {
            assertEquals(expected, receiver.describe().get("netty.transport"));
            FrameSender sender = transport.openSender(receiver.endpoint(), options);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                sender.claim(FramePreset.P720_I420.frameBytes(), seconds(10)).copyFrom(pool.stamp(0, 0, 0));
                sender.commit();
                sender.send(pool.stamp(0, 1, 1), seconds(10));
                sender.close();
            });
            receiver.awaitSender(seconds(10));
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i < 2; i++) {
                verifier.verify(receiver.receive(seconds(10)));
                receiver.release();
            }
            assertNull(receiver.receive(seconds(10)), "end of stream after the last frame");
            sent.get();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-netty", "ws-netty"})
    void refusesAndCountsForeignConnectionsWithoutDisturbingTheFirst(String name) throws Exception {
        Transport transport = TransportRegistry.byName(name);
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 2)) {
            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            Strangers.assertRefusedAndCounted(receiver, InetAddresses.parse("endpoint", receiver.endpoint()), 1);
            Strangers.assertRefusedAndCounted(receiver, InetAddresses.parse("endpoint", receiver.endpoint()), 2);
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
    @ValueSource(strings = {"tcp-netty", "ws-netty"})
    void receiveTimesOutWhenSenderIsSilent(String name) throws Exception {
        Transport transport = TransportRegistry.byName(name);
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            long deadline = Deadline.after(Duration.ofMillis(300));
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> receiver.receive(deadline));
            assertEquals("timed out waiting for a frame from sender on " + name + "://" + receiver.endpoint() + " (sender stalled?)", e.getMessage());
            // The stream outlives a timeout: the frame that comes later is the next one received, once.
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
    @ValueSource(strings = {"tcp-netty", "ws-netty"})
    void senderBlocksWhileTheReceiverTakesNothing(String name) {
        Transport transport = TransportRegistry.byName(name);
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            // 64 frames (88 MB) are far more than the socket buffers hold: unless something buffers without
            // bound, a send must wait and reach its deadline.
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> {
                for (long seq = 0; seq < 64; seq++) {
                    sender.send(pool.stamp(0, seq, seq), Deadline.after(Duration.ofMillis(500)));
                }
            });
            assertEquals("timed out writing a frame to receiver " + name + "://" + receiver.endpoint(), e.getMessage());
            sender.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-netty", "ws-netty"})
    void leavesNoEventLoopThreadRunningAfterClose(String name) throws Exception {
        Transport transport = TransportRegistry.byName(name);
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.NONE)) {
            FrameSender sender = transport.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            CompletableFuture<Void> closed = CompletableFuture.runAsync(sender::close);
            assertNull(receiver.receive(seconds(10)));
            closed.get();
        }
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("framebench-" + name + "-")) {
                // Stopped, but perhaps still on its way out of run(): give it the close deadline.
                thread.join(Duration.ofSeconds(10));
                assertFalse(thread.isAlive(), thread.getName() + " still runs after close");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-netty", "ws-netty"})
    void awaitSenderTimesOutWhenNobodyConnects(String name) {
        try (FrameReceiver receiver = TransportRegistry.byName(name).openReceiver(TransportOptions.NONE)) {
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class,
                    () -> receiver.awaitSender(Deadline.after(Duration.ofMillis(200))));
            assertEquals("timed out waiting for a sender on " + name + "://" + receiver.endpoint(), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-netty", "ws-netty"})
    void rejectsAnUnknownNettyTransportNamingTheChoices(String name) {
        BadInputException e = assertThrows(BadInputException.class,
                () -> TransportRegistry.byName(name).openReceiver(TransportOptions.parse("netty.transport=kqueue")));
        assertEquals("bad value for option netty.transport: netty.transport=kqueue; allowed: auto, epoll, nio", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-netty", "ws-netty"})
    void rejectsAPortInUseSayingHowToFixIt(String name) {
        Transport transport = TransportRegistry.byName(name);
        try (FrameReceiver first = transport.openReceiver(TransportOptions.NONE)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> transport.openReceiver(TransportOptions.parse("listen=" + first.endpoint())));
            assertTrue(e.getMessage().startsWith("cannot listen on " + first.endpoint()), e.getMessage());
            assertTrue(e.getMessage().endsWith("choose a free port with listen=HOST:PORT or port 0 for any"), e.getMessage());
        }
    }
}
