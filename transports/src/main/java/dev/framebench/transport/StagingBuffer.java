package dev.framebench.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The staging buffer of a {@link FrameSender} that cannot write in place (a socket, a WebSocket, an Aeron
 * publication, a pipe): {@link FrameSender#claim} hands out this buffer, sized to the largest frame so far,
 * and {@link FrameSender#commit} sends what was written into it, the one copy such a transport makes
 * anyway. Off-heap and 64-byte aligned, so a socket writes it without a further copy into a direct buffer.
 *
 * <p>Threading: the sender's one thread; {@link #close()} frees the memory.
 */
public final class StagingBuffer implements AutoCloseable {
    /** How a transport sends a whole frame: its own {@code send(frame, deadlineNanos)}. */
    @FunctionalInterface
    public interface Send {
        void send(MemorySegment frame, long deadlineNanos);
    }

    // Shared, not confined: a sender may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private MemorySegment staging = MemorySegment.NULL;
    private MemorySegment claimed;
    private long deadlineNanos;

    /** Writable memory of exactly {@code frameBytes}, valid until the next claim; grows, never shrinks. */
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        if (staging.byteSize() < frameBytes) {
            staging = arena.allocate(frameBytes, 64);
        }
        claimed = staging.asSlice(0, frameBytes);
        this.deadlineNanos = deadlineNanos;
        return claimed;
    }

    /** Sends the claimed frame with the claim's deadline; a commit without a claim is a caller's bug. */
    public void commit(Send send) {
        MemorySegment frame = claimed;
        if (frame == null) {
            throw new IllegalStateException("commit without a claim: call claim(frameBytes, deadlineNanos) first");
        }
        claimed = null;
        send.send(frame, deadlineNanos);
    }

    @Override
    public void close() {
        arena.close();
    }
}
