package dev.framebench.frame;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FramePresetTest {
    @Test
    void payloadSizesAreTheDocumentedOnes() {
        assertEquals(1_382_400, FramePreset.byName("720p-i420").payloadBytes());
        assertEquals(3_110_400, FramePreset.byName("1080p-i420").payloadBytes());
        assertEquals(3_110_400, FramePreset.byName("1080p-nv12").payloadBytes());
        assertEquals(8_294_400, FramePreset.byName("1080p-rgba").payloadBytes());
        assertEquals(12_441_600, FramePreset.byName("2160p-i420").payloadBytes());
        assertEquals(3_110_464, FramePreset.P1080_I420.frameBytes());
    }

    @Test
    void rejectsUnknownPresetListingTheValidOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> FramePreset.byName("1080p"));
        assertEquals("unknown frame '1080p'; valid frames: 720p-i420, 1080p-i420, 1080p-nv12, 1080p-rgba, 2160p-i420", e.getMessage());
    }

    @Test
    void rejectsUnknownConsumeModeListingTheValidOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> ConsumeMode.byName("all"));
        assertEquals("unknown consume mode 'all'; valid modes: none, read, verify", e.getMessage());
    }
}
