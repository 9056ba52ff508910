package dev.framebench.frame;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameVerifierTest {
    private static final FramePreset PRESET = FramePreset.P720_I420;

    @Test
    void acceptsAnIntactStream() {
        try (FramePool pool = new FramePool(PRESET, 3)) {
            FrameVerifier verifier = new FrameVerifier();
            for (long seq = 0; seq < 10; seq++) {
                verifier.verify(pool.stamp(0, seq, seq));
            }
        }
    }

    @Test
    void detectsFlippedPayloadBit() {
        try (FramePool pool = new FramePool(PRESET, 3); Arena arena = Arena.ofConfined()) {
            MemorySegment copy = copyOf(pool.stamp(0, 0, 0), arena);
            long offset = FrameHeader.LENGTH + 123_457;
            copy.set(ValueLayout.JAVA_BYTE, offset, (byte) (copy.get(ValueLayout.JAVA_BYTE, offset) ^ 0x10));
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> new FrameVerifier().verify(copy));
            assertEquals("payloadCrc32c", e.field());
            assertEquals(0, e.streamId());
            assertEquals(0, e.sequence());
            assertNotEquals(e.expected(), e.actual());
        }
    }

    @Test
    void detectsSkippedSequence() {
        try (FramePool pool = new FramePool(PRESET, 3)) {
            FrameVerifier verifier = new FrameVerifier();
            verifier.verify(pool.stamp(2, 0, 0));
            verifier.verify(pool.stamp(2, 1, 0));
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> verifier.verify(pool.stamp(2, 3, 0)));
            assertEquals("frame verification failed: stream=2 sequence=3 field=sequence expected=2 actual=3", e.getMessage());
        }
    }

    @Test
    void detectsDuplicatedSequence() {
        try (FramePool pool = new FramePool(PRESET, 3)) {
            FrameVerifier verifier = new FrameVerifier();
            verifier.verify(pool.stamp(0, 0, 0));
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> verifier.verify(pool.stamp(0, 0, 0)));
            assertEquals("sequence", e.field());
            assertEquals("1", e.expected());
            assertEquals("0", e.actual());
        }
    }

    @Test
    void keepsSequencesPerStream() {
        try (FramePool pool = new FramePool(PRESET, 3)) {
            FrameVerifier verifier = new FrameVerifier();
            verifier.verify(pool.stamp(0, 0, 0));
            verifier.verify(pool.stamp(5, 0, 0));
            verifier.verify(pool.stamp(0, 1, 0));
            verifier.verify(pool.stamp(5, 1, 0));
        }
    }

    @Test
    void detectsWrongMagicVersionAndLength() {
        try (FramePool pool = new FramePool(PRESET, 1); Arena arena = Arena.ofConfined()) {
            MemorySegment badMagic = copyOf(pool.stamp(0, 0, 0), arena);
            badMagic.set(ValueLayout.JAVA_BYTE, 3, (byte) '2');
            assertEquals("magic", assertThrows(FrameVerificationException.class, () -> new FrameVerifier().verify(badMagic)).field());

            MemorySegment badVersion = copyOf(pool.stamp(0, 0, 0), arena);
            badVersion.set(ValueLayout.JAVA_BYTE, FrameHeader.VERSION_OFFSET, (byte) 2);
            FrameVerificationException v = assertThrows(FrameVerificationException.class, () -> new FrameVerifier().verify(badVersion));
            assertEquals("version", v.field());
            assertEquals("2", v.actual());

            MemorySegment badLength = copyOf(pool.stamp(0, 0, 0), arena);
            badLength.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), FrameHeader.PAYLOAD_LENGTH_OFFSET, 1000);
            FrameVerificationException l = assertThrows(FrameVerificationException.class, () -> new FrameVerifier().verify(badLength));
            assertEquals("payloadLength", l.field());
            assertEquals(Integer.toString(PRESET.payloadBytes()), l.expected());
            assertEquals("1000", l.actual());
        }
    }

    @Test
    void detectsTruncatedFrame() {
        try (FramePool pool = new FramePool(PRESET, 1)) {
            MemorySegment truncated = pool.stamp(0, 0, 0).asSlice(0, PRESET.frameBytes() - 1);
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> new FrameVerifier().verify(truncated));
            assertEquals("frameBytes", e.field());
            assertEquals(Integer.toString(PRESET.frameBytes()), e.expected());
            assertEquals(Integer.toString(PRESET.frameBytes() - 1), e.actual());
        }
    }

    @Test
    void readConsumerDependsOnEveryPayloadByte() {
        try (FramePool pool = new FramePool(PRESET, 1); Arena arena = Arena.ofConfined()) {
            MemorySegment frame = copyOf(pool.stamp(0, 0, 0), arena);
            long before = FrameConsumer.readPayload(frame);
            long last = frame.byteSize() - 1;
            frame.set(ValueLayout.JAVA_BYTE, last, (byte) (frame.get(ValueLayout.JAVA_BYTE, last) ^ 1));
            assertNotEquals(before, FrameConsumer.readPayload(frame));
        }
    }

    private static MemorySegment copyOf(MemorySegment frame, Arena arena) {
        MemorySegment copy = arena.allocate(frame.byteSize());
        copy.copyFrom(frame);
        return copy;
    }
}
