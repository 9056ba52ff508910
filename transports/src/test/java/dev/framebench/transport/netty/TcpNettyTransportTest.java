package dev.framebench.transport.netty;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import dev.framebench.transport.socket.InetAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tcp-netty's own edges: the same bytes as tcp, and a broken stream reported as such. */
class TcpNettyTransportTest {
    private static final Transport TCP_NETTY = TransportRegistry.byName("tcp-netty");

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @ParameterizedTest(name = "{0} sender to {1} receiver")
    @CsvSource({"tcp, tcp-netty", "tcp-netty, tcp"})
    void carriesTheSameBytesAsTcpSoEitherEndInteroperates(String senderSide, String receiverSide) throws Exception {
        try (FrameReceiver receiver = TransportRegistry.byName(receiverSide).openReceiver(TransportOptions.NONE);
             FramePool pool = new FramePool(FramePreset.P720_I420, 3)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = TransportRegistry.byName(senderSide).openSender(receiver.endpoint(), TransportOptions.NONE)) {
                    for (long seq = 0; seq < 10; seq++) {
                        sender.send(pool.stamp(0, seq, seq), seconds(10));
                    }
                }
            });
            receiver.awaitSender(seconds(10));
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i < 10; i++) {
                verifier.verify(receiver.receive(seconds(10)));
                receiver.release();
            }
            assertNull(receiver.receive(seconds(10)), "end of stream after the last frame");
            sent.get();
        }
    }

    @Test
    void reportsASenderThatClosesMidFrame() throws IOException {
        try (FrameReceiver receiver = TCP_NETTY.openReceiver(TransportOptions.NONE); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            try (SocketChannel raw = SocketChannel.open(InetAddresses.parse("endpoint", receiver.endpoint()))) {
                receiver.awaitSender(seconds(10));
                writeFully(raw, pool.stamp(0, 0, 0).asSlice(0, 100_000).asByteBuffer());
            }
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().endsWith("closed the connection mid-frame: got 100000 of 1382464 bytes of a frame"), e.getMessage());
        }
    }

    @Test
    void rejectsAStreamThatLostItsFraming() throws IOException {
        try (FrameReceiver receiver = TCP_NETTY.openReceiver(TransportOptions.NONE);
             SocketChannel raw = SocketChannel.open(InetAddresses.parse("endpoint", receiver.endpoint()))) {
            receiver.awaitSender(seconds(10));
            writeFully(raw, ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(2).getBytes()));
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().contains("field=magic expected=0x31464246 actual=0x20544547"), e.getMessage());
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
