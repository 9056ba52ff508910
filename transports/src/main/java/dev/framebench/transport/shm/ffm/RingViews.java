package dev.framebench.transport.shm.ffm;

import java.lang.foreign.MemorySegment;

/**
 * The frame views a side hands out, made once per place in the ring and then reused: slicing a segment
 * allocates an object (two for a read-only one), and the views escape to the caller, so the JIT cannot
 * remove them. Frames of a run share a size, so their records fall on a handful of fixed offsets; a
 * small direct-mapped table keyed by offset holds the views for them. A miss (frames of changing sizes)
 * only costs the allocation the cache would have saved.
 *
 * <p>Threading: one side's thread.
 */
final class RingViews {
    /** Prime, so record offsets k * recordBytes spread over every slot whatever power of two divides recordBytes. */
    private static final int SLOTS = 61;

    private final MemorySegment data;
    private final long dataAddress;
    private final boolean readOnly;
    private final MemorySegment[] views = new MemorySegment[SLOTS];

    RingViews(MemorySegment data, boolean readOnly) {
        this.data = data;
        this.dataAddress = data.address();
        this.readOnly = readOnly;
    }

    /** The view of {@code length} bytes at data offset {@code offset}, read-only if so made. */
    MemorySegment view(int offset, int length) {
        int slot = (offset / ShmRingDescriptor.RECORD_ALIGNMENT) % SLOTS;
        MemorySegment view = views[slot];
        if (view == null || view.address() != dataAddress + offset || view.byteSize() != length) {
            view = data.asSlice(offset, length);
            if (readOnly) {
                view = view.asReadOnly();
            }
            views[slot] = view;
        }
        return view;
    }
}
