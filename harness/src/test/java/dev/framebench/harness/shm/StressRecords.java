package dev.framebench.harness.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * The records both JVMs of the stress test agree on without talking: record {@code n} has a size from 64 B
 * to 64 KiB and contents that follow from {@code n} alone. Its first 8 bytes are {@code n}; the rest is a
 * window into a block of random bytes both sides generate from the same seed. Sizes are spread over
 * powers of two, so small records (many per lap, many wrap-arounds) and large ones (few per lap, the
 * sender waiting for space) both come often.
 */
final class StressRecords implements AutoCloseable {
    static final int MIN_BYTES = 64;
    static final int MAX_BYTES = 64 * 1024;
    private static final long SEED = 0x5EEDF00DL;
    private static final ValueLayout.OfLong SEQUENCE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment randomBytes = arena.allocate(2L * MAX_BYTES);

    StressRecords() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (long i = 0; i < randomBytes.byteSize(); i += Long.BYTES) {
            randomBytes.set(ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
        }
    }

    static int size(long n) {
        long mix = mix(n);
        int power = MIN_BYTES << (int) Long.remainderUnsigned(mix, 11);
        return (int) Math.min(MAX_BYTES, power + Long.remainderUnsigned(mix >>> 8, power));
    }

    /** Writes record {@code n} into {@code target}, which is {@link #size(long)} bytes. */
    void write(MemorySegment target, long n) {
        target.set(SEQUENCE, 0, n);
        MemorySegment.copy(randomBytes, window(n), target, Long.BYTES, target.byteSize() - Long.BYTES);
    }

    /** Empty if {@code record} is record {@code n}, byte for byte; else what differs. */
    String mismatch(MemorySegment record, long n) {
        if (record.byteSize() != size(n)) {
            return "record " + n + " has " + record.byteSize() + " bytes, expected " + size(n);
        }
        long sequence = record.get(SEQUENCE, 0);
        if (sequence != n) {
            return "record " + n + " carries sequence " + sequence;
        }
        long body = record.byteSize() - Long.BYTES;
        long at = MemorySegment.mismatch(record, Long.BYTES, record.byteSize(), randomBytes, window(n), window(n) + body);
        return at < 0 ? "" : "record " + n + " differs at byte " + (Long.BYTES + at) + " of " + record.byteSize();
    }

    private static long window(long n) {
        return Long.remainderUnsigned(mix(n) >>> 20, MAX_BYTES);
    }

    /** SplitMix64's finaliser: every bit of {@code n} moves every bit of the result. */
    private static long mix(long n) {
        long z = SEED + n * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        arena.close();
    }
}
