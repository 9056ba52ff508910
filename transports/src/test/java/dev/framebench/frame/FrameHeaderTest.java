package dev.framebench.frame;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameHeaderTest {
    /** docs/WIRE.md's worked example, byte for byte: a 4x2 I420 frame, stream 7, sequence 258. */
    static final String GOLDEN_HEX =
            "46424631" + "0100" + "0100" + "0400" + "0200" + "07000000"
            + "0201000000000000" + "8877665544332211"
            + "0c000000" + "efbeadde"
            + "000000000000000000000000000000000000000000000000";

    @Test
    void writesTheDocumentedBytesForAKnownHeader() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(FrameHeader.LENGTH);
            frame.fill((byte) 0x5A); // reserved bytes must be zeroed by write, whatever was there
            FrameHeader.write(frame, PixelFormat.I420, 4, 2, 7, 258, 0x1122334455667788L, 12, 0xDEADBEEF);
            byte[] bytes = frame.toArray(ValueLayout.JAVA_BYTE);
            assertEquals(GOLDEN_HEX, HexFormat.of().formatHex(bytes));
        }
    }

    @Test
    void readsBackEveryFieldItWrote() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(FrameHeader.LENGTH);
            FrameHeader.write(frame, PixelFormat.RGBA, 3840, 2160, 65_535, Long.MAX_VALUE - 1, -5L, 33_177_600, -1);
            assertEquals(FrameHeader.MAGIC, FrameHeader.magic(frame));
            assertEquals(1, FrameHeader.version(frame));
            assertEquals(3, FrameHeader.pixelFormat(frame));
            assertEquals(3840, FrameHeader.width(frame));
            assertEquals(2160, FrameHeader.height(frame));
            assertEquals(65_535, FrameHeader.streamId(frame));
            assertEquals(Long.MAX_VALUE - 1, FrameHeader.sequence(frame));
            assertEquals(-5L, FrameHeader.sendTimeNanos(frame));
            assertEquals(33_177_600, FrameHeader.payloadLength(frame));
            assertEquals(-1, FrameHeader.payloadCrc32c(frame));
        }
    }

    @Test
    void stampChangesOnlyStreamSequenceAndSendTime() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(FrameHeader.LENGTH);
            FrameHeader.write(frame, PixelFormat.I420, 4, 2, 7, 258, 0x1122334455667788L, 12, 0xDEADBEEF);
            FrameHeader.stamp(frame, 1, 2, 3);
            String hex = HexFormat.of().formatHex(frame.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(GOLDEN_HEX.substring(0, 24) + "01000000" + "0200000000000000" + "0300000000000000" + GOLDEN_HEX.substring(64), hex);
        }
    }

    @Test
    void magicSpellsFbf1InAscii() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(FrameHeader.LENGTH);
            FrameHeader.write(frame, PixelFormat.NV12, 2, 2, 0, 0, 0, 6, 0);
            assertEquals("FBF1", new String(frame.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
