package dev.framebench.transport.socket;

import dev.framebench.transport.FrameSender;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Sends frames over a connected stream socket as header and payload back to back. {@link #send} writes
 * straight from the caller's frame, so the only copies are the kernel's; {@link #claim} hands out a
 * direct staging buffer, for producers that render in place. Single thread.
 */
public final class StreamFrameSender implements FrameSender {
    private final ChannelIo io;
    // Shared, not confined: a transport may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private MemorySegment staging = MemorySegment.NULL;
    private ByteBuffer claimed;
    private long claimDeadlineNanos;

    public StreamFrameSender(ChannelIo io) {
        this.io = io;
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        if (staging.byteSize() < frameBytes) {
            staging = arena.allocate(frameBytes, 64);
        }
        MemorySegment frame = staging.asSlice(0, frameBytes);
        claimed = frame.asByteBuffer();
        claimDeadlineNanos = deadlineNanos;
        return frame;
    }

    @Override
    public void commit() {
        io.writeFully(claimed, claimDeadlineNanos);
        claimed = null;
    }

    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        // A direct buffer view of native memory: NIO writes it without a bounce copy.
        io.writeFully(frame.asByteBuffer(), deadlineNanos);
    }

    /** Ends the stream after the last whole frame: the receiver reads end of stream at a frame boundary. */
    @Override
    public void close() {
        try {
            io.channel().shutdownOutput();
        } catch (Exception ignored) {
            // The peer may be gone already; closing below is all that is left to do.
        }
        io.close();
        arena.close();
    }
}
