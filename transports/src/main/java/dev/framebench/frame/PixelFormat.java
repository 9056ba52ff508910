package dev.framebench.frame;

/**
 * Raw pixel layouts framebench can carry, with the wire code of {@link FrameHeader#PIXEL_FORMAT_OFFSET}.
 */
public enum PixelFormat {
    /** Planar Y, then U and V at quarter resolution: 1.5 bytes per pixel. */
    I420(1),
    /** Planar Y, then interleaved UV at quarter resolution: 1.5 bytes per pixel. */
    NV12(2),
    /** Packed 8-bit R, G, B, A: 4 bytes per pixel. */
    RGBA(3);

    private final int wireCode;

    PixelFormat(int wireCode) {
        this.wireCode = wireCode;
    }

    public int wireCode() {
        return wireCode;
    }

    /** Payload bytes of one picture of this format; chroma planes round up for odd sizes. */
    public int payloadBytes(int width, int height) {
        return switch (this) {
            case I420, NV12 -> width * height + 2 * (((width + 1) / 2) * ((height + 1) / 2));
            case RGBA -> 4 * width * height;
        };
    }

    public static PixelFormat fromWireCode(int code) {
        for (PixelFormat f : values()) {
            if (f.wireCode == code) {
                return f;
            }
        }
        return null;
    }
}
