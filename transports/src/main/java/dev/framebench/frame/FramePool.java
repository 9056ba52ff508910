package dev.framebench.frame;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

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
            frames[i] = render(arena.allocate(preset.frameBytes(), 64), preset, i);
        }
    }

    /**
     * A pool rendered into memory it does not own: a zero-copy sender's lent frames
     * ({@code FrameSender.lentFrames}), picture {@code i} into frame {@code i}. Closing the pool leaves them
     * to their owner.
     */
    public FramePool(FramePreset preset, List<MemorySegment> lent) {
        if (lent.isEmpty()) {
            throw new IllegalArgumentException("no frames lent");
        }
        this.preset = preset;
        this.arena = null;
        this.frames = new MemorySegment[lent.size()];
        for (int i = 0; i < frames.length; i++) {
            MemorySegment frame = lent.get(i);
            if (frame.byteSize() != preset.frameBytes()) {
                throw new IllegalArgumentException("lent frame " + i + " is " + frame.byteSize() + " bytes, not "
                        + preset.frameBytes() + " (" + preset.presetName() + ")");
            }
            frames[i] = render(frame, preset, i);
        }
    }

    private static MemorySegment render(MemorySegment frame, FramePreset preset, int picture) {
        MemorySegment payload = frame.asSlice(FrameHeader.LENGTH, preset.payloadBytes());
        TestPattern.render(payload, preset.pixelFormat(), preset.width(), preset.height(), picture);
        FrameHeader.write(frame, preset.pixelFormat(), preset.width(), preset.height(), 0, 0, 0,
                preset.payloadBytes(), Crc32c.of(payload));
        return frame;
    }

    /** True when the frames are lent by a sender (rendered in place in its memory), not this pool's own. */
    public boolean lent() {
        return arena == null;
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
        if (arena != null) {
            arena.close();
        }
    }
}
