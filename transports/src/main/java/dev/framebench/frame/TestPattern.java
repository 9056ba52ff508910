package dev.framebench.frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Renders a deterministic moving test pattern: diagonal luma ramps and a bright box that move with
 * the frame index, and chroma ramps that drift the other way. Not zeros (a transport that compresses
 * or skips zero pages would look too good) and not random (two runs must send the same bytes).
 */
public final class TestPattern {
    private static final int BOX = 128;

    private TestPattern() {
    }

    /** Fills {@code payload} with picture {@code index} of the pattern for the given geometry. */
    public static void render(MemorySegment payload, PixelFormat format, int width, int height, int index) {
        switch (format) {
            case I420 -> renderYuv420(payload, width, height, index, false);
            case NV12 -> renderYuv420(payload, width, height, index, true);
            case RGBA -> renderRgba(payload, width, height, index);
        }
    }

    private static void renderYuv420(MemorySegment payload, int width, int height, int index, boolean interleaved) {
        byte[] row = new byte[Math.max(width, 1)];
        int shift = 7 * index;
        int boxX = (13 * index * 8) % Math.max(1, width - BOX);
        int boxY = (7 * index * 8) % Math.max(1, height - BOX);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inBox = x >= boxX && x < boxX + BOX && y >= boxY && y < boxY + BOX;
                row[x] = (byte) (inBox ? 235 : 16 + ((x + y + shift) & 0x7F) + ((x >> 4) & 0x3F));
            }
            MemorySegment.copy(row, 0, payload, ValueLayout.JAVA_BYTE, (long) y * width, width);
        }
        int chromaWidth = (width + 1) / 2;
        int chromaHeight = (height + 1) / 2;
        long lumaBytes = (long) width * height;
        long planeBytes = (long) chromaWidth * chromaHeight;
        if (interleaved) {
            byte[] uv = new byte[2 * chromaWidth];
            for (int y = 0; y < chromaHeight; y++) {
                for (int x = 0; x < chromaWidth; x++) {
                    uv[2 * x] = chromaU(x, y, index);
                    uv[2 * x + 1] = chromaV(x, y, index);
                }
                MemorySegment.copy(uv, 0, payload, ValueLayout.JAVA_BYTE, lumaBytes + 2L * y * chromaWidth, uv.length);
            }
        } else {
            byte[] u = new byte[chromaWidth];
            byte[] v = new byte[chromaWidth];
            for (int y = 0; y < chromaHeight; y++) {
                for (int x = 0; x < chromaWidth; x++) {
                    u[x] = chromaU(x, y, index);
                    v[x] = chromaV(x, y, index);
                }
                MemorySegment.copy(u, 0, payload, ValueLayout.JAVA_BYTE, lumaBytes + (long) y * chromaWidth, chromaWidth);
                MemorySegment.copy(v, 0, payload, ValueLayout.JAVA_BYTE, lumaBytes + planeBytes + (long) y * chromaWidth, chromaWidth);
            }
        }
    }

    private static byte chromaU(int x, int y, int index) {
        return (byte) (64 + ((x * 2 - 3 * index) & 0x7F));
    }

    private static byte chromaV(int x, int y, int index) {
        return (byte) (64 + ((y * 2 + 5 * index) & 0x7F));
    }

    private static void renderRgba(MemorySegment payload, int width, int height, int index) {
        byte[] row = new byte[4 * width];
        int shift = 7 * index;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[4 * x] = (byte) (x + shift);
                row[4 * x + 1] = (byte) (y - shift);
                row[4 * x + 2] = (byte) ((x ^ y) + 3 * index);
                row[4 * x + 3] = (byte) 0xFF;
            }
            MemorySegment.copy(row, 0, payload, ValueLayout.JAVA_BYTE, 4L * y * width, row.length);
        }
    }
}
