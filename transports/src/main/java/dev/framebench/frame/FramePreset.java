package dev.framebench.frame;

import dev.framebench.error.BadInputException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The frame sizes framebench measures, named as on the command line ({@code 1080p-i420}).
 */
public enum FramePreset {
    P720_I420("720p-i420", 1280, 720, PixelFormat.I420),
    P1080_I420("1080p-i420", 1920, 1080, PixelFormat.I420),
    P1080_NV12("1080p-nv12", 1920, 1080, PixelFormat.NV12),
    P1080_RGBA("1080p-rgba", 1920, 1080, PixelFormat.RGBA),
    P2160_I420("2160p-i420", 3840, 2160, PixelFormat.I420);

    private final String presetName;
    private final int width;
    private final int height;
    private final PixelFormat pixelFormat;
    private final int payloadBytes;

    FramePreset(String presetName, int width, int height, PixelFormat pixelFormat) {
        this.presetName = presetName;
        this.width = width;
        this.height = height;
        this.pixelFormat = pixelFormat;
        this.payloadBytes = pixelFormat.payloadBytes(width, height);
    }

    public String presetName() {
        return presetName;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public PixelFormat pixelFormat() {
        return pixelFormat;
    }

    public int payloadBytes() {
        return payloadBytes;
    }

    /** Header plus payload: what one frame occupies on the wire. */
    public int frameBytes() {
        return FrameHeader.LENGTH + payloadBytes;
    }

    /** The largest frame any preset produces; transports size their limits from it. */
    public static int maxFrameBytes() {
        return Arrays.stream(values()).mapToInt(FramePreset::frameBytes).max().orElseThrow();
    }

    public static FramePreset byName(String name) {
        for (FramePreset p : values()) {
            if (p.presetName.equals(name)) {
                return p;
            }
        }
        throw new BadInputException("unknown frame '" + name + "'; valid frames: " + validNames());
    }

    public static String validNames() {
        return Arrays.stream(values()).map(FramePreset::presetName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return presetName;
    }
}
