package dev.framebench.transport.socket;

import dev.framebench.transport.FrameReceiver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stranger connecting to a receiver that already serves its sender: the receiver must close the
 * connection without answering and count it. What the stranger writes looks like a frame, so that a
 * receiver which mixed it into the stream would fail the caller's own verification afterwards.
 */
public final class Strangers {
    private static final long WAIT_MILLIS = 10_000;

    private Strangers() {
    }

    /** Connects to {@code address}, writes a frame's magic, and asserts the receiver closes it and counts it as refusal {@code expectedCount}. */
    public static void assertRefusedAndCounted(FrameReceiver receiver, SocketAddress address, int expectedCount) throws Exception {
        try (SocketChannel stranger = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? java.net.StandardProtocolFamily.UNIX : java.net.StandardProtocolFamily.INET)) {
            stranger.connect(address);
            try {
                stranger.write(ByteBuffer.wrap("FBF1 not a frame".getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException closedAlready) {
                // The receiver may have closed it before the write: that is the point.
            }
            assertTrue(closedByPeer(stranger), "the receiver left a foreign connection to " + address + " open for " + WAIT_MILLIS + " ms");
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (receiver.foreignConnectionsRefused() < expectedCount && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(expectedCount, receiver.foreignConnectionsRefused(), "refused foreign connections counted");
    }

    /** True when the peer closed (end of stream, or a reset) within the wait; false when it stayed open. */
    private static boolean closedByPeer(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (System.nanoTime() < until) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                selector.selectedKeys().clear();
                buffer.clear();
                try {
                    int read = channel.read(buffer);
                    if (read < 0) {
                        return true;
                    }
                    if (read > 0) {
                        fail("the receiver answered a foreign connection with " + read + " bytes");
                    }
                } catch (IOException reset) {
                    return true;
                }
            }
            return false;
        }
    }
}
