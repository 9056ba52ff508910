package dev.framebench.transport.netty;

import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.websocket.WebSocketOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ws-netty's own edges: its options take effect, and what is not a framebench sender is refused. */
class WsNettyTransportTest {
    private static final Transport WS_NETTY = TransportRegistry.byName("ws-netty");

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @Test
    void rejectsZeroFragmentSize() {
        String expected = "bad value for option ws.fragment: ws.fragment=0; allowed: a whole number from 1 to " + WebSocketOptions.MAX_MESSAGE_BYTES;
        TransportOptions zero = TransportOptions.parse("ws.fragment=0");
        assertEquals(expected, assertThrows(BadInputException.class, () -> WS_NETTY.openReceiver(zero)).getMessage());
        assertEquals(expected, assertThrows(BadInputException.class, () -> WS_NETTY.openSender("127.0.0.1:9", zero)).getMessage());
    }

    @Test
    void receiverExpectingMaskedFramesRefusesAnUnmaskingSender() throws Exception {
        try (FrameReceiver receiver = WS_NETTY.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            FrameSender unmasked = WS_NETTY.openSender(receiver.endpoint(), TransportOptions.parse("ws.mask=false"));
            receiver.awaitSender(seconds(10));
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    unmasked.send(pool.stamp(0, 0, 0), seconds(10));
                } catch (TransportException e) {
                    // The receiver may hang up before the whole frame is written; what it says is the point.
                }
                unmasked.close();
            });
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().contains("not masked"), e.getMessage());
            sent.get();
        }
    }

    @Test
    void rejectsAMessageWithABadMagicAsEveryFramingReceiverDoes() throws Exception {
        try (FrameReceiver receiver = WS_NETTY.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1);
             Arena arena = Arena.ofShared()) {
            MemorySegment frame = arena.allocate(FramePreset.P720_I420.frameBytes());
            frame.copyFrom(pool.stamp(0, 3, 0));
            frame.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), FrameHeader.MAGIC_OFFSET, 0x58585858);
            FrameSender sender = WS_NETTY.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    sender.send(frame, seconds(10));
                } catch (TransportException e) {
                    // The receiver may hang up before the whole frame is written; what it says is the point.
                }
                sender.close();
            });
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().contains("stream=0 sequence=3 field=magic expected=0x31464246 actual=0x58585858"), e.getMessage());
            sent.get();
        }
    }

    @Test
    void reportsASenderThatDropsTheConnectionWithoutACloseFrame() throws IOException {
        try (FrameReceiver receiver = WS_NETTY.openReceiver(TransportOptions.NONE)) {
            try (SocketChannel raw = SocketChannel.open(InetAddresses.parse("endpoint", receiver.endpoint()))) {
                raw.write(ByteBuffer.wrap(("GET /frames HTTP/1.1\r\nHost: " + receiver.endpoint() + "\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                assertTrue(readResponse(raw).startsWith("HTTP/1.1 101 Switching Protocols"));
                receiver.awaitSender(seconds(10));
            }
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().endsWith("closed the connection without a WebSocket close frame"), e.getMessage());
        }
    }

    @Test
    void refusesARequestForAnotherPath() throws IOException {
        try (FrameReceiver receiver = WS_NETTY.openReceiver(TransportOptions.NONE);
             SocketChannel raw = SocketChannel.open(InetAddresses.parse("endpoint", receiver.endpoint()))) {
            raw.write(ByteBuffer.wrap("GET /video HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            TransportException e = assertThrows(TransportException.class, () -> receiver.awaitSender(seconds(10)));
            assertTrue(e.getMessage().endsWith("asked for /video; frames are served at /frames"), e.getMessage());
            assertTrue(readResponse(raw).startsWith("HTTP/1.1 404 Not Found"));
        }
    }

    /** The receiver's HTTP response up to the end of its headers, all read so that closing sends no reset. */
    private static String readResponse(SocketChannel raw) throws IOException {
        ByteBuffer response = ByteBuffer.allocate(1024);
        String text = "";
        while (!text.contains("\r\n\r\n") && raw.read(response) >= 0) {
            text = new String(response.array(), 0, response.position(), StandardCharsets.US_ASCII);
        }
        return text;
    }
}
