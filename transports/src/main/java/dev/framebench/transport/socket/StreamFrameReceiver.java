package dev.framebench.transport.socket;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.Framing;
import dev.framebench.transport.FrameReceiver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives header-and-payload frames from one connected stream socket into a receiver-owned buffer.
 * Each header passes {@link Framing#checkHeader} before its payload is read, since a stream that lost its
 * framing cannot be trusted for a single further byte. Subclasses bind,
 * accept and clean up; this class reads. Single thread.
 */
public abstract class StreamFrameReceiver implements FrameReceiver {
    private final IoMode ioMode;
    // Shared, not confined: a transport may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment header;
    private final ByteBuffer headerBuffer;
    private MemorySegment buffer = MemorySegment.NULL;
    private MemorySegment view = MemorySegment.NULL;
    private ChannelIo io;

    protected StreamFrameReceiver(IoMode ioMode) {
        this.ioMode = ioMode;
        this.header = arena.allocate(FrameHeader.LENGTH, 64);
        this.headerBuffer = header.asByteBuffer();
    }

    /** Accepts the one sender this receiver serves, and stops accepting others. */
    protected abstract ChannelIo acceptSender(IoMode mode, long deadlineNanos);

    @Override
    public final void awaitSender(long deadlineNanos) {
        if (io == null) {
            io = acceptSender(ioMode, deadlineNanos);
        }
    }

    @Override
    public final MemorySegment receive(long deadlineNanos) {
        awaitSender(deadlineNanos);
        headerBuffer.clear();
        if (!io.readFully(headerBuffer, deadlineNanos, "a frame header")) {
            return null;
        }
        int payloadLength = Framing.checkHeader(header);
        int frameBytes = FrameHeader.LENGTH + payloadLength;
        if (buffer.byteSize() < frameBytes) {
            buffer = arena.allocate(frameBytes, 64);
        }
        MemorySegment.copy(header, 0, buffer, 0, FrameHeader.LENGTH);
        ByteBuffer payload = buffer.asSlice(FrameHeader.LENGTH, payloadLength).asByteBuffer();
        if (!io.readFully(payload, deadlineNanos, "a frame payload") && payloadLength > 0) {
            throw new TransportException("sender closed the connection mid-frame: got 0 of "
                    + payloadLength + " payload bytes");
        }
        if (view.byteSize() != frameBytes || view.address() != buffer.address()) {
            // Frames of one run share a size: the view is made once, not per frame.
            view = buffer.asSlice(0, frameBytes).asReadOnly();
        }
        return view;
    }

    @Override
    public final void release() {
        // The buffer is reused by the next receive; nothing to hand back.
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("io", ioMode.modeName());
        return d;
    }

    @Override
    public void close() {
        if (io != null) {
            io.close();
        }
        arena.close();
    }
}
