package dev.framebench.frame;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Complete frames (header and payload) pre-rendered at start-up, so that generating pictures is never
 * part of what is measured. Each payload's CRC-32C is computed once; a sender only stamps
 * {@code streamId}, {@code sequence} and {@code sendTimeNanos} into the header of the frame it sends.
 *
 * <p>Threading: frames live in a shared arena, so an in-process receiver thread may read them; the pool
 * itself is stamped by a single sender thread. A frame is stamped again {@link #size()} frames later,
 * so a transport that hands out references (inproc-handoff) must keep fewer than {@code size() - 1}
 * frames in flight.
 */
public final class FramePool implements AutoCloseable {
    /** Enough distinct pictures that consecutive frames never share cache lines; 8 x 1080p-i420 is 25 MB. */
    public static final int DEFAULT_FRAMES = 8;

    private final FramePreset preset;
    private final Arena arena;
    private final MemorySegment[] frames;

    public FramePool(FramePreset preset, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1: size=" + size);
        }
        this.preset = preset;
        this.arena = Arena.ofShared();
        this.frames = new MemorySegment[size];
        for (int i = 0; i < size; i++) {
            MemorySegment frame = arena.allocate(preset.frameBytes(), 64);
            MemorySegment payload = frame.asSlice(FrameHeader.LENGTH, preset.payloadBytes());
            TestPattern.render(payload, preset.pixelFormat(), preset.width(), preset.height(), i);
            FrameHeader.write(frame, preset.pixelFormat(), preset.width(), preset.height(), 0, 0, 0,
                    preset.payloadBytes(), Crc32c.of(payload));
            frames[i] = frame;
        }
    }

    public FramePool(FramePreset preset) {
        this(preset, DEFAULT_FRAMES);
    }

    public FramePreset preset() {
        return preset;
    }

    public int size() {
        return frames.length;
    }

    /** The pooled frame {@code index}, as last stamped. */
    public MemorySegment frame(int index) {
        return frames[index];
    }

    /** Stamps and returns the frame that carries {@code sequence}: pool picture {@code sequence mod size}. */
    public MemorySegment stamp(int streamId, long sequence, long sendTimeNanos) {
        MemorySegment frame = frames[(int) Long.remainderUnsigned(sequence, frames.length)];
        FrameHeader.stamp(frame, streamId, sequence, sendTimeNanos);
        return frame;
    }

    @Override
    public void close() {
        arena.close();
    }
}
