package dev.framebench.frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Consumes one received frame (header and payload) and returns a value derived from what it read, which
 * the caller must sink (a JMH {@code Blackhole}), so that the JIT cannot drop the reads.
 */
@FunctionalInterface
public interface FrameConsumer {
    long consume(MemorySegment frame);

    static long headerOnly(MemorySegment frame) {
        return FrameHeader.sequence(frame);
    }

    /**
     * Reads every payload byte: 8 bytes a load into four independent XOR chains, so the loop is bound by
     * memory bandwidth, not by a dependency chain.
     */
    static long readPayload(MemorySegment frame) {
        long end = frame.byteSize();
        long i = FrameHeader.LENGTH;
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        for (; i + 32 <= end; i += 32) {
            a ^= frame.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
            b ^= frame.get(ValueLayout.JAVA_LONG_UNALIGNED, i + 8);
            c ^= frame.get(ValueLayout.JAVA_LONG_UNALIGNED, i + 16);
            d ^= frame.get(ValueLayout.JAVA_LONG_UNALIGNED, i + 24);
        }
        for (; i < end; i++) {
            a ^= frame.get(ValueLayout.JAVA_BYTE, i);
        }
        return a ^ b ^ c ^ d;
    }
}
