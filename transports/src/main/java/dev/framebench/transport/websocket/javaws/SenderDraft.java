package dev.framebench.transport.websocket.javaws;

import dev.framebench.transport.websocket.WebSocketOptions;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.Handshakedata;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The sender's RFC 6455 draft: Java-WebSocket's own framing with two additions. It reports every byte it
 * encodes for the wire (handshake and frames) to a {@link WireBacklog}, so the sender knows when the
 * writer thread is done. And with {@code ws.mask=false} it writes frames without a mask (non-RFC):
 * {@link Draft_6455} masks whenever its role is client, in a private method, so the unmasked header is
 * written here.
 *
 * <p>Threading: as {@link Draft_6455}; the counting is thread-safe.
 */
final class SenderDraft extends Draft_6455 {
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;
    private static final int RSV2 = 0x20;
    private static final int RSV3 = 0x10;
    /** Payload length codes of the second header byte: 126 means a 16-bit length follows, 127 a 64-bit one. */
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;
    private static final int MAX_7_BIT_LENGTH = 125;

    private final boolean mask;
    private final WireBacklog backlog;

    SenderDraft(List<IExtension> extensions, boolean mask, WireBacklog backlog) {
        super(extensions, WebSocketOptions.MAX_MESSAGE_BYTES);
        this.mask = mask;
        this.backlog = backlog;
    }

    @Override
    public ByteBuffer createBinaryFrame(Framedata frame) {
        ByteBuffer wire = mask ? super.createBinaryFrame(frame) : unmasked(frame);
        backlog.encoded(wire.remaining());
        return wire;
    }

    @Override
    public List<ByteBuffer> createHandshake(Handshakedata handshake, boolean withContent) {
        List<ByteBuffer> wire = super.createHandshake(handshake, withContent);
        for (ByteBuffer buffer : wire) {
            backlog.encoded(buffer.remaining());
        }
        return wire;
    }

    /** Each connection gets a copy (Java-WebSocket's rule); the copies share the backlog. */
    @Override
    public Draft copyInstance() {
        return new SenderDraft(getKnownExtensions().stream().map(IExtension::copyInstance).toList(), mask, backlog);
    }

    /** What {@link Draft_6455} writes for a client frame, less the mask bit and the masking key. */
    private ByteBuffer unmasked(Framedata frame) {
        getExtension().encodeFrame(frame);
        ByteBuffer payload = frame.getPayloadData().duplicate();
        int length = payload.remaining();
        int extendedLengthBytes = length <= MAX_7_BIT_LENGTH ? 0 : length <= 0xFFFF ? 2 : 8;
        ByteBuffer wire = ByteBuffer.allocate(2 + extendedLengthBytes + length);
        wire.put((byte) ((frame.isFin() ? FIN : 0) | (frame.isRSV1() ? RSV1 : 0) | (frame.isRSV2() ? RSV2 : 0)
                | (frame.isRSV3() ? RSV3 : 0) | opcode(frame.getOpcode())));
        switch (extendedLengthBytes) {
            case 0 -> wire.put((byte) length);
            case 2 -> wire.put((byte) LENGTH_16).putShort((short) length);
            default -> wire.put((byte) LENGTH_64).putLong(length);
        }
        return wire.put(payload).flip();
    }

    private static int opcode(Opcode opcode) {
        return switch (opcode) {
            case CONTINUOUS -> 0x0;
            case TEXT -> 0x1;
            case BINARY -> 0x2;
            case CLOSING -> 0x8;
            case PING -> 0x9;
            case PONG -> 0xA;
        };
    }
}
