package dev.framebench.transport.shm.agrona;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;
import org.agrona.BitUtil;

/**
 * How big the ring is ({@code shm.ringBytes}): Agrona's {@code OneToOneRingBuffer} takes records of at
 * most capacity / 8 bytes, so a frame needs a ring of at least 8 x its size rounded up to a power of two,
 * which also keeps 8 frames in flight, more than the 4 a sender needs to run ahead of its receiver.
 */
final class RingCapacity {
    static final String KEY = "shm.ringBytes";
    static final int MIN_BYTES = 4096;
    static final int MAX_BYTES = 1 << 30;
    /** Agrona's limit: maxMsgLength = capacity >> 3. */
    private static final int RECORDS_PER_RING = 8;

    private RingCapacity() {
    }

    /** The smallest ring whose largest record holds {@code frameBytes}. */
    static long forFrame(int frameBytes) {
        return Math.max(MIN_BYTES, BitUtil.findNextPositivePowerOfTwo((long) frameBytes) * RECORDS_PER_RING);
    }

    static int maxRecordBytes(int capacity) {
        return capacity / RECORDS_PER_RING;
    }

    /** The capacity the options ask for, or the one {@code maxFrameBytes} needs; fails if frames would not fit. */
    static int fromOptions(TransportOptions options, int maxFrameBytes) {
        int capacity = options.getInt(KEY, (int) Math.min(MAX_BYTES, forFrame(maxFrameBytes)), MIN_BYTES, MAX_BYTES);
        if (Integer.bitCount(capacity) != 1) {
            throw new BadInputException("bad value for option " + KEY + ": " + KEY + "=" + options.get(KEY, "")
                    + "; allowed: a power of two from " + MIN_BYTES + " to " + MAX_BYTES);
        }
        requireFits(maxFrameBytes, capacity);
        return capacity;
    }

    /** Fails with one line naming the sizes and the ring to use when a frame of {@code frameBytes} cannot fit. */
    static void requireFits(int frameBytes, int capacity) {
        if (frameBytes > maxRecordBytes(capacity)) {
            throw new BadInputException("frame does not fit ring: frameBytes=" + frameBytes + " maxRecordBytes=" + maxRecordBytes(capacity)
                    + "; raise " + KEY + " to >= " + forFrame(frameBytes));
        }
    }
}
