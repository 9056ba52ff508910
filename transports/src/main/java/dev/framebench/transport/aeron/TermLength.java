package dev.framebench.transport.aeron;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.LogBufferDescriptor;
import org.agrona.BitUtil;

/**
 * The term length of the IPC publication ({@code aeron.termBytes}). Aeron takes messages of at most
 * termLength / 8 (and never more than 16 MiB), so a frame needs a term of 8 x its size rounded up to a
 * power of two; the publisher may then run half a term, 4 frames, ahead of the subscriber.
 */
final class TermLength {
    static final String KEY = "aeron.termBytes";
    static final int MIN_BYTES = LogBufferDescriptor.TERM_MIN_LENGTH;
    static final int MAX_BYTES = LogBufferDescriptor.TERM_MAX_LENGTH;
    private static final int MESSAGES_PER_TERM = 8;

    private TermLength() {
    }

    /** The smallest term whose largest message holds {@code frameBytes}. */
    static long forFrame(int frameBytes) {
        return Math.max(MIN_BYTES, BitUtil.findNextPositivePowerOfTwo((long) frameBytes) * MESSAGES_PER_TERM);
    }

    /** The term the options ask for, or the one {@code maxFrameBytes} needs; fails if frames would not fit. */
    static int fromOptions(TransportOptions options, int maxFrameBytes) {
        int termLength = options.getInt(KEY, (int) Math.min(MAX_BYTES, forFrame(maxFrameBytes)), MIN_BYTES, MAX_BYTES);
        if (Integer.bitCount(termLength) != 1) {
            throw new BadInputException("bad value for option " + KEY + ": " + KEY + "=" + options.get(KEY, "")
                    + "; allowed: a power of two from " + MIN_BYTES + " to " + MAX_BYTES);
        }
        requireFits(maxFrameBytes, termLength);
        return termLength;
    }

    /** Fails with one line naming the sizes, and the term to use, when a frame of {@code frameBytes} is too big. */
    static void requireFits(int frameBytes, int termLength) {
        if (frameBytes > FrameDescriptor.MAX_MESSAGE_LENGTH) {
            throw new BadInputException("frame does not fit an Aeron message: frameBytes=" + frameBytes + " maxMessageBytes="
                    + FrameDescriptor.MAX_MESSAGE_LENGTH + " (Aeron's limit for any term); use a smaller frame or another transport");
        }
        int maxMessageBytes = FrameDescriptor.computeMaxMessageLength(termLength);
        if (frameBytes > maxMessageBytes) {
            throw new BadInputException("frame does not fit the Aeron term: frameBytes=" + frameBytes + " maxMessageBytes=" + maxMessageBytes
                    + "; raise " + KEY + " to >= " + forFrame(frameBytes));
        }
    }
}
