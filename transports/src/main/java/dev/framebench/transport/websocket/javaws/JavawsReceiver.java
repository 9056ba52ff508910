package dev.framebench.transport.websocket.javaws;

import dev.framebench.frame.Framing;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.websocket.WebSocketOptions;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives frames as binary WebSocket messages through Java-WebSocket's {@code WebSocketServer}. The
 * library reads the socket into 64 KiB buffers, gathers each WebSocket frame into a buffer of its own,
 * unmasks it byte by byte into a fresh heap buffer (copies it in bulk if unmasked; joins continuation
 * frames, and inflates, into yet another), and calls back with the message; {@link #receive} returns a
 * read-only view of that buffer, so nothing is copied here. Messages come through a {@link MessageHandOff}
 * of two, which is how a receiver that falls behind stalls the sender.
 *
 * <p>Threading: one receiving thread; the library runs a selector thread and a decoder thread, both ended
 * by {@link #close()}.
 */
final class JavawsReceiver implements FrameReceiver {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final FrameServer server;
    private final MessageHandOff handOff;
    private final String endpoint;
    private final String awaitingFrame;
    private boolean senderConnected;
    private boolean holding;

    private JavawsReceiver(FrameServer server, MessageHandOff handOff) {
        this.server = server;
        this.handOff = handOff;
        this.endpoint = server.endpoint();
        this.awaitingFrame = "waiting for a frame from the sender on " + server.url();
    }

    static JavawsReceiver open(WebSocketOptions options, RunToken token) {
        MessageHandOff handOff = new MessageHandOff();
        FrameServer server = FrameServer.start(InetAddresses.parse(WebSocketOptions.LISTEN, options.listen()), options, handOff, token,
                Deadline.after(START_TIMEOUT));
        return new JavawsReceiver(server, handOff);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        if (!senderConnected) {
            server.awaitSender(deadlineNanos);
            senderConnected = true;
        }
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        awaitSender(deadlineNanos);
        release();
        ByteBuffer message = handOff.take(deadlineNanos, awaitingFrame);
        if (message == null) {
            return null;
        }
        holding = true;
        return frameView(message);
    }

    /** The message as a frame, once it passes {@link Framing#checkMessage}: a message is one whole frame. */
    private static MemorySegment frameView(ByteBuffer message) {
        MemorySegment frame = MemorySegment.ofBuffer(message).asReadOnly();
        Framing.checkMessage(frame);
        return frame;
    }

    @Override
    public void release() {
        if (holding) {
            holding = false;
            handOff.release();
        }
    }

    @Override
    public int foreignConnectionsRefused() {
        return server.foreignConnectionsRefused();
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("library", "Java-WebSocket");
        d.put("decoderThreads", Integer.toString(FrameServer.DECODER_THREADS));
        d.put("handOffMessages", Integer.toString(MessageHandOff.CAPACITY));
        d.put("permessageDeflate", Boolean.toString(server.deflating()));
        return d;
    }

    /** Drops whatever the sender still sends, closes its connection (code 1001), and ends the library's threads. */
    @Override
    public void close() {
        handOff.close();
        server.shutDown(Deadline.after(CLOSE_TIMEOUT));
    }
}
