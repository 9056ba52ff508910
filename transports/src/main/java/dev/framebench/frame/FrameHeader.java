package dev.framebench.frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Descriptor of the 64-byte frame header, wire format version 1 (docs/WIRE.md). Every integer is
 * little-endian, whatever the host order, so a peer in any language reads it the same way.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic 'F' 'B' 'F' '1'                     |  0
 *  +-------------------------------+-------------------------------+
 *  |          version = 1          |          pixelFormat          |  4
 *  +-------------------------------+-------------------------------+
 *  |             width             |            height             |  8
 *  +-------------------------------+-------------------------------+
 *  |                           streamId                            | 12
 *  +---------------------------------------------------------------+
 *  |                       sequence (64 bits)                      | 16
 *  +---------------------------------------------------------------+
 *  |              sendTimeNanos (64 bits, CLOCK_MONOTONIC)         | 24
 *  +---------------------------------------------------------------+
 *  |                         payloadLength                         | 32
 *  +---------------------------------------------------------------+
 *  |                  payloadCrc32c (Castagnoli)                   | 36
 *  +---------------------------------------------------------------+
 *  |                   reserved, zero (24 bytes)                   | 40..63
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Only static offsets and accessors: the header is read and written in place, in whatever memory
 * the transport hands out, never copied into an object.
 */
public final class FrameHeader {
    public static final int LENGTH = 64;
    /** ASCII "FBF1" read as a little-endian int. */
    public static final int MAGIC = 0x31464246;
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int PIXEL_FORMAT_OFFSET = 6;
    public static final int WIDTH_OFFSET = 8;
    public static final int HEIGHT_OFFSET = 10;
    public static final int STREAM_ID_OFFSET = 12;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int SEND_TIME_NANOS_OFFSET = 24;
    public static final int PAYLOAD_LENGTH_OFFSET = 32;
    public static final int PAYLOAD_CRC32C_OFFSET = 36;
    public static final int RESERVED_OFFSET = 40;
    public static final int RESERVED_LENGTH = 24;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FrameHeader() {
    }

    /** Writes every field of a fresh header, reserved bytes zeroed. */
    public static void write(MemorySegment frame, PixelFormat format, int width, int height, int streamId,
                             long sequence, long sendTimeNanos, int payloadLength, int payloadCrc32c) {
        frame.set(I32, MAGIC_OFFSET, MAGIC);
        frame.set(U16, VERSION_OFFSET, (short) VERSION);
        frame.set(U16, PIXEL_FORMAT_OFFSET, (short) format.wireCode());
        frame.set(U16, WIDTH_OFFSET, (short) width);
        frame.set(U16, HEIGHT_OFFSET, (short) height);
        frame.set(I32, PAYLOAD_LENGTH_OFFSET, payloadLength);
        frame.set(I32, PAYLOAD_CRC32C_OFFSET, payloadCrc32c);
        frame.asSlice(RESERVED_OFFSET, RESERVED_LENGTH).fill((byte) 0);
        stamp(frame, streamId, sequence, sendTimeNanos);
    }

    /** The per-frame part of the header: all a sender touches for each frame it sends. */
    public static void stamp(MemorySegment frame, int streamId, long sequence, long sendTimeNanos) {
        frame.set(I32, STREAM_ID_OFFSET, streamId);
        frame.set(I64, SEQUENCE_OFFSET, sequence);
        frame.set(I64, SEND_TIME_NANOS_OFFSET, sendTimeNanos);
    }

    public static int magic(MemorySegment frame) {
        return frame.get(I32, MAGIC_OFFSET);
    }

    public static int version(MemorySegment frame) {
        return Short.toUnsignedInt(frame.get(U16, VERSION_OFFSET));
    }

    public static int pixelFormat(MemorySegment frame) {
        return Short.toUnsignedInt(frame.get(U16, PIXEL_FORMAT_OFFSET));
    }

    public static int width(MemorySegment frame) {
        return Short.toUnsignedInt(frame.get(U16, WIDTH_OFFSET));
    }

    public static int height(MemorySegment frame) {
        return Short.toUnsignedInt(frame.get(U16, HEIGHT_OFFSET));
    }

    public static int streamId(MemorySegment frame) {
        return frame.get(I32, STREAM_ID_OFFSET);
    }

    public static long sequence(MemorySegment frame) {
        return frame.get(I64, SEQUENCE_OFFSET);
    }

    public static long sendTimeNanos(MemorySegment frame) {
        return frame.get(I64, SEND_TIME_NANOS_OFFSET);
    }

    public static int payloadLength(MemorySegment frame) {
        return frame.get(I32, PAYLOAD_LENGTH_OFFSET);
    }

    public static int payloadCrc32c(MemorySegment frame) {
        return frame.get(I32, PAYLOAD_CRC32C_OFFSET);
    }
}
