package dev.framebench.frame;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one framing check every receiver calls, in both its forms: a header in a segment, and decoded fields. */
class FramingTest {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** A 4x2 I420 frame: 12 payload bytes. */
    private static final int PAYLOAD = 12;

    private static MemorySegment frame(Arena arena, int payloadLength) {
        MemorySegment frame = arena.allocate(FrameHeader.LENGTH + PAYLOAD);
        FrameHeader.write(frame, PixelFormat.I420, 4, 2, 7, 258, 0, payloadLength, 0);
        return frame;
    }

    @Test
    void limitsPayloadsToTwiceTheLargestPresetFrame() {
        // docs/WIRE.md: "0 <= payloadLength <= 2 x the largest preset"; 2160p-i420 is 12,441,664 bytes with its header.
        assertEquals(24_883_328, Framing.MAX_PAYLOAD_BYTES);
        assertEquals(64L + 24_883_328, Framing.MAX_FRAME_BYTES);
    }

    @Test
    void passesAGoodHeaderAndReturnsThePayloadToRead() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(PAYLOAD, Framing.checkHeader(frame(arena, PAYLOAD)));
            assertEquals(Framing.MAX_PAYLOAD_BYTES, Framing.checkHeader(FrameHeader.MAGIC, Framing.MAX_PAYLOAD_BYTES, 0, 0));
            assertEquals(0, Framing.checkHeader(FrameHeader.MAGIC, 0, 0, 0));
            Framing.checkMessage(frame(arena, PAYLOAD));
        }
    }

    @Test
    void rejectsABadMagicNamingStreamSequenceExpectedAndActual() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = frame(arena, PAYLOAD);
            frame.set(I32, FrameHeader.MAGIC_OFFSET, 0x58585858);
            String expected = "frame verification failed: stream=7 sequence=258 field=magic expected=0x31464246 actual=0x58585858";
            assertEquals(expected, assertThrows(FrameVerificationException.class, () -> Framing.checkHeader(frame)).getMessage());
            assertEquals(expected, assertThrows(FrameVerificationException.class, () -> Framing.checkMessage(frame)).getMessage());
            assertEquals(expected, assertThrows(FrameVerificationException.class,
                    () -> Framing.checkHeader(0x58585858, PAYLOAD, 7, 258)).getMessage());
        }
    }

    @Test
    void rejectsANegativeOrGarbledPayloadLengthBeforeAnyPayloadIsRead() {
        for (int bad : new int[] {-1, Integer.MIN_VALUE, Framing.MAX_PAYLOAD_BYTES + 1, Integer.MAX_VALUE}) {
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> Framing.checkHeader(FrameHeader.MAGIC, bad, 7, 258));
            assertEquals("frame verification failed: stream=7 sequence=258 field=payloadLength expected=0..24883328 actual=" + bad, e.getMessage());
        }
    }

    @Test
    void rejectsAMessageThatIsNotExactlyOneFrame() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment longer = frame(arena, PAYLOAD - 4);
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> Framing.checkMessage(longer));
            assertEquals("frame verification failed: stream=7 sequence=258 field=payloadLength expected=12 (the message's bytes after the header)"
                    + " actual=8", e.getMessage());
            MemorySegment truncated = frame(arena, PAYLOAD).asSlice(0, FrameHeader.LENGTH + 4);
            assertEquals("payloadLength", assertThrows(FrameVerificationException.class, () -> Framing.checkMessage(truncated)).field());
            assertEquals(e.getMessage(), assertThrows(FrameVerificationException.class,
                    () -> Framing.checkMessage(FrameHeader.LENGTH + PAYLOAD, FrameHeader.MAGIC, PAYLOAD - 4, 7, 258)).getMessage());
        }
    }

    @Test
    void rejectsAMessageShorterThanAHeaderBeforeReadingIt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stub = frame(arena, PAYLOAD).asSlice(0, 10);
            FrameVerificationException e = assertThrows(FrameVerificationException.class, () -> Framing.checkMessage(stub));
            assertEquals("frame verification failed: stream=-1 sequence=-1 field=frameBytes expected=>= 64 actual=10", e.getMessage());
            assertEquals(e.getMessage(), assertThrows(FrameVerificationException.class, () -> Framing.requireWholeHeader(10)).getMessage());
        }
    }
}
