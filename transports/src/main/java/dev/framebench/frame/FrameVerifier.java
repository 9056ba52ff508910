package dev.framebench.frame;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Checks that a received frame is exactly what a framebench sender wrote: header fields, lengths,
 * CRC-32C of the payload, and that each stream's sequence goes 0, 1, 2, ... with no gap or repeat. More
 * than the {@link Framing} check every receiver makes, in the order docs/WIRE.md gives for
 * {@code --consume verify}; the failures both can name are made by {@link Framing}, so they read alike.
 * The first failure throws {@link FrameVerificationException} naming stream, sequence, field,
 * expected and actual.
 *
 * <p>Threading: single receiving thread.
 */
public final class FrameVerifier {
    private long[] nextSequenceByStream = new long[0];

    public long verify(MemorySegment frame) {
        long received = frame.byteSize();
        Framing.requireWholeHeader(received);
        int stream = FrameHeader.streamId(frame);
        long sequence = FrameHeader.sequence(frame);
        int magic = FrameHeader.magic(frame);
        if (magic != FrameHeader.MAGIC) {
            throw Framing.badMagic(stream, sequence, magic);
        }
        int version = FrameHeader.version(frame);
        if (version != FrameHeader.VERSION) {
            throw new FrameVerificationException(stream, sequence, "version", Integer.toString(FrameHeader.VERSION), Integer.toString(version));
        }
        int code = FrameHeader.pixelFormat(frame);
        PixelFormat format = PixelFormat.fromWireCode(code);
        if (format == null) {
            throw new FrameVerificationException(stream, sequence, "pixelFormat", "1, 2 or 3", Integer.toString(code));
        }
        int payloadLength = FrameHeader.payloadLength(frame);
        int expectedPayload = format.payloadBytes(FrameHeader.width(frame), FrameHeader.height(frame));
        if (payloadLength != expectedPayload) {
            throw new FrameVerificationException(stream, sequence, "payloadLength", Integer.toString(expectedPayload), Integer.toString(payloadLength));
        }
        if (received != FrameHeader.LENGTH + (long) payloadLength) {
            throw new FrameVerificationException(stream, sequence, "frameBytes",
                    Long.toString(FrameHeader.LENGTH + (long) payloadLength), Long.toString(received));
        }
        if (stream < 0) {
            throw new FrameVerificationException(stream, sequence, "streamId", ">= 0", Integer.toString(stream));
        }
        long expectedSequence = nextSequence(stream);
        if (sequence != expectedSequence) {
            throw new FrameVerificationException(stream, sequence, "sequence", Long.toString(expectedSequence), Long.toString(sequence));
        }
        int crc = Crc32c.of(frame.asSlice(FrameHeader.LENGTH, payloadLength));
        int expectedCrc = FrameHeader.payloadCrc32c(frame);
        if (crc != expectedCrc) {
            throw new FrameVerificationException(stream, sequence, "payloadCrc32c", Framing.hex(expectedCrc), Framing.hex(crc));
        }
        nextSequenceByStream[stream] = sequence + 1;
        return crc;
    }

    private long nextSequence(int stream) {
        if (stream >= nextSequenceByStream.length) {
            int old = nextSequenceByStream.length;
            nextSequenceByStream = Arrays.copyOf(nextSequenceByStream, Math.max(stream + 1, 2 * old));
        }
        return nextSequenceByStream[stream];
    }
}
