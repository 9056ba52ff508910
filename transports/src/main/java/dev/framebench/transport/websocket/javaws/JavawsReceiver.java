package dev.framebench.transport.websocket.javaws;

import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FrameVerificationException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.error.TransportException;
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

    static JavawsReceiver open(WebSocketOptions options) {
        MessageHandOff handOff = new MessageHandOff();
        FrameServer server = FrameServer.start(InetAddresses.parse(WebSocketOptions.LISTEN, options.listen()), options, handOff,
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

    /**
     * The message as a frame, once its framing is checked: a message is one whole frame, so its length
     * must be the header's plus the payload length the header states.
     */
    private static MemorySegment frameView(ByteBuffer message) {
        MemorySegment frame = MemorySegment.ofBuffer(message).asReadOnly();
        if (frame.byteSize() < FrameHeader.LENGTH) {
            throw new TransportException("got a binary message of " + frame.byteSize() + " bytes, shorter than the "
                    + FrameHeader.LENGTH + "-byte frame header; send each frame, header and payload, as one message");
        }
        int magic = FrameHeader.magic(frame);
        if (magic != FrameHeader.MAGIC) {
            throw new FrameVerificationException(FrameHeader.streamId(frame), FrameHeader.sequence(frame), "magic",
                    String.format("0x%08x", FrameHeader.MAGIC), String.format("0x%08x", magic));
        }
        long messagePayloadBytes = frame.byteSize() - FrameHeader.LENGTH;
        if (FrameHeader.payloadLength(frame) != messagePayloadBytes) {
            throw new FrameVerificationException(FrameHeader.streamId(frame), FrameHeader.sequence(frame), "payloadLength",
                    messagePayloadBytes + " (the message's bytes after the header)", Integer.toString(FrameHeader.payloadLength(frame)));
        }
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
