package dev.framebench.frame;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FramePoolTest {
    @Test
    void rendersTheSameBytesEveryTime() {
        try (FramePool a = new FramePool(FramePreset.P720_I420, 3); FramePool b = new FramePool(FramePreset.P720_I420, 3)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(-1, a.frame(i).mismatch(b.frame(i)), "frame " + i + " differs between two pools");
            }
        }
    }

    @Test
    void pinsThePatternSoOtherImplementationsCanCheckIt() {
        // Golden CRC-32C of picture 0 of 1080p-i420: a change to the pattern must be deliberate (docs/WIRE.md).
        try (FramePool pool = new FramePool(FramePreset.P1080_I420, 1)) {
            assertEquals(GOLDEN_CRC_1080P_I420_FRAME0, FrameHeader.payloadCrc32c(pool.frame(0)));
        }
    }

    /** Recorded from the first implementation; docs/WIRE.md quotes it for peers that render the same pattern. */
    static final int GOLDEN_CRC_1080P_I420_FRAME0 = 0xf1ec1de7;

    @Test
    void everyPictureIsDistinctAndNoneIsFlat() {
        for (FramePreset preset : FramePreset.values()) {
            try (FramePool pool = new FramePool(preset, 4)) {
                Set<Integer> crcs = new HashSet<>();
                for (int i = 0; i < pool.size(); i++) {
                    MemorySegment frame = pool.frame(i);
                    crcs.add(FrameHeader.payloadCrc32c(frame));
                    MemorySegment payload = frame.asSlice(FrameHeader.LENGTH);
                    assertEquals(FrameHeader.payloadCrc32c(frame), Crc32c.of(payload), preset + " frame " + i + " CRC");
                    Set<Byte> values = new HashSet<>();
                    for (long off = 0; off < payload.byteSize(); off += 997) {
                        values.add(payload.get(ValueLayout.JAVA_BYTE, off));
                    }
                    assertTrue(values.size() > 16, preset + " frame " + i + " is nearly flat: " + values.size() + " distinct sampled values");
                }
                assertEquals(pool.size(), crcs.size(), preset + ": pictures repeat");
            }
        }
    }

    @Test
    void stampPicksPictureBySequenceAndWritesTheHeader() {
        try (FramePool pool = new FramePool(FramePreset.P720_I420, 3)) {
            MemorySegment f = pool.stamp(5, 7, 123_456_789L);
            assertSame(pool.frame(1), f);
            assertEquals(5, FrameHeader.streamId(f));
            assertEquals(7, FrameHeader.sequence(f));
            assertEquals(123_456_789L, FrameHeader.sendTimeNanos(f));
            assertEquals(FramePreset.P720_I420.payloadBytes(), FrameHeader.payloadLength(f));
            assertEquals(1280, FrameHeader.width(f));
            assertEquals(720, FrameHeader.height(f));
            assertNotEquals(FrameHeader.payloadCrc32c(pool.frame(0)), FrameHeader.payloadCrc32c(f));
        }
    }
}
