package dev.framebench.frame;

import java.lang.foreign.MemorySegment;

/**
 * The one framing check of wire format version 1 (docs/WIRE.md) and its limits: what a receiver checks of
 * a header before it trusts the length the header states. Every transport that frames bytes itself calls
 * it: stream transports ({@code tcp}, {@code tcp-netty}, {@code uds-*}) with {@link #checkHeader} after
 * reading a header and before reading its payload, since a stream that lost its framing cannot be trusted
 * for a single further byte; message transports ({@code ws-*}, {@code file-handoff}), where one message
 * or file is one frame, with {@link #checkMessage}, which also requires the message to be exactly
 * header plus payload.
 *
 * <p>Checked, in this order: at least a header's bytes (messages); {@code magic}; {@code 0 <= payloadLength
 * <= MAX_PAYLOAD_BYTES}; message bytes {@code == 64 + payloadLength} (messages). Not {@code version},
 * {@code pixelFormat}, geometry, sequence or CRC: those are the consumer's ({@link FrameVerifier}, in
 * {@code --consume verify}), and a receiver that only frames must not fail a stream for them.
 *
 * <p>Each check has two forms: one reads the header from a {@link MemorySegment}, the other takes the
 * fields already decoded, so that a Netty {@code ByteBuf} is checked where it lies, without a copy or a
 * wrapper. Nothing is allocated unless a check fails; a failure is a {@link FrameVerificationException}
 * naming stream, sequence, field, expected and actual, as {@code --consume verify} names its failures.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Framing {
    /**
     * The largest {@code payloadLength} a receiver accepts: twice the largest preset's frame, so a garbled
     * length fails at once instead of making a receiver allocate or wait for gigabytes, while a frame a
     * little larger than any preset still passes.
     */
    public static final int MAX_PAYLOAD_BYTES = 2 * FramePreset.maxFrameBytes();
    /** The largest frame a receiver accepts, header included. */
    public static final long MAX_FRAME_BYTES = FrameHeader.LENGTH + (long) MAX_PAYLOAD_BYTES;

    private Framing() {
    }

    /**
     * A header read off a stream: returns its {@code payloadLength}, the bytes to read next, once magic
     * and length are good. {@code header} holds at least {@link FrameHeader#LENGTH} bytes.
     */
    public static int checkHeader(MemorySegment header) {
        return checkHeader(FrameHeader.magic(header), FrameHeader.payloadLength(header),
                FrameHeader.streamId(header), FrameHeader.sequence(header));
    }

    /**
     * {@link #checkHeader(MemorySegment)} on fields already decoded (little-endian, at the offsets of
     * {@link FrameHeader}); {@code streamId} and {@code sequence} only name the frame in a failure.
     */
    public static int checkHeader(int magic, int payloadLength, int streamId, long sequence) {
        if (magic != FrameHeader.MAGIC) {
            throw badMagic(streamId, sequence, magic);
        }
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_BYTES) {
            throw new FrameVerificationException(streamId, sequence, "payloadLength", "0.." + MAX_PAYLOAD_BYTES,
                    Integer.toString(payloadLength));
        }
        return payloadLength;
    }

    /** A message (a WebSocket message, a file) that must be exactly one whole frame, header first. */
    public static void checkMessage(MemorySegment message) {
        long messageBytes = message.byteSize();
        requireWholeHeader(messageBytes);
        checkMessage(messageBytes, FrameHeader.magic(message), FrameHeader.payloadLength(message),
                FrameHeader.streamId(message), FrameHeader.sequence(message));
    }

    /**
     * {@link #checkMessage(MemorySegment)} on fields already decoded from a message of {@code messageBytes};
     * call {@link #requireWholeHeader} before decoding them.
     */
    public static void checkMessage(long messageBytes, int magic, int payloadLength, int streamId, long sequence) {
        requireWholeHeader(messageBytes);
        checkHeader(magic, payloadLength, streamId, sequence);
        long payloadBytes = messageBytes - FrameHeader.LENGTH;
        if (payloadLength != payloadBytes) {
            throw new FrameVerificationException(streamId, sequence, "payloadLength",
                    payloadBytes + " (the message's bytes after the header)", Integer.toString(payloadLength));
        }
    }

    /** A message shorter than a header holds no frame; there is no stream or sequence to name yet. */
    public static void requireWholeHeader(long messageBytes) {
        if (messageBytes < FrameHeader.LENGTH) {
            throw new FrameVerificationException(-1, -1, "frameBytes", ">= " + FrameHeader.LENGTH, Long.toString(messageBytes));
        }
    }

    /** The failure for a magic other than "FBF1"; {@link FrameVerifier} names it the same way. */
    static FrameVerificationException badMagic(int streamId, long sequence, int magic) {
        return new FrameVerificationException(streamId, sequence, "magic", hex(FrameHeader.MAGIC), hex(magic));
    }

    static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
