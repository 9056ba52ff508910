package dev.framebench.transport.s3;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads a frame straight out of the sender's memory for the S3 client, which copies it into its request:
 * the SDK's {@code RequestBody.fromByteBuffer} would first copy the whole frame into a heap array of its own.
 * Single thread; the segment must not change until the request is done.
 */
final class SegmentInputStream extends InputStream {
    private final MemorySegment frame;
    private long position;

    SegmentInputStream(MemorySegment frame) {
        this.frame = frame;
    }

    @Override
    public int read() {
        return position < frame.byteSize() ? Byte.toUnsignedInt(frame.get(ValueLayout.JAVA_BYTE, position++)) : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        long left = frame.byteSize() - position;
        if (length == 0) {
            return 0;
        }
        if (left <= 0) {
            return -1;
        }
        int count = (int) Math.min(length, left);
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, position, target, offset, count);
        position += count;
        return count;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, frame.byteSize() - position);
    }
}
