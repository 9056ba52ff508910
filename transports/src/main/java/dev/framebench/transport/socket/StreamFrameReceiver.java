package dev.framebench.transport.socket;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.Framing;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.FrameReceiver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives header-and-payload frames from one connected stream socket into a receiver-owned buffer.
 * Each header passes {@link Framing#checkHeader} before its payload is read, since a stream that lost its
 * framing cannot be trusted for a single further byte. Subclasses bind, accept (through a
 * {@link SenderGate}, which takes a token's hello off the connection) and clean up; this class reads.
 *
 * <p>A receiver given no token still takes a sender that was given one: the first 24 bytes of its
 * connection are read on their own, and skipped if they are a hello ({@link SenderHello}).
 * Single thread.
 */
public abstract class StreamFrameReceiver implements FrameReceiver {
    private final IoMode ioMode;
    /** True until the first header is read, while this receiver has no token: its sender may still present a hello. */
    private boolean mayStartWithHello;
    // Shared, not confined: a transport may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment header;
    private final ByteBuffer headerBuffer;
    private MemorySegment buffer = MemorySegment.NULL;
    private MemorySegment view = MemorySegment.NULL;
    private ChannelIo io;

    /** @param tokenless true when the receiver was given no token, so its gate took the connection as it came */
    protected StreamFrameReceiver(IoMode ioMode, boolean tokenless) {
        this.ioMode = ioMode;
        this.mayStartWithHello = tokenless;
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
        if (!readHeader(deadlineNanos)) {
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

    /** Reads a frame header; false at a clean end of stream. */
    private boolean readHeader(long deadlineNanos) {
        headerBuffer.clear();
        if (!mayStartWithHello) {
            return io.readFully(headerBuffer, deadlineNanos, "a frame header");
        }
        mayStartWithHello = false;
        // A hello is shorter than a header: read that much first, so a sender that says hello and ends is a clean end.
        headerBuffer.limit(SenderHello.LENGTH);
        if (!io.readFully(headerBuffer, deadlineNanos, "a frame header")) {
            return false;
        }
        if (SenderHello.isHelloMagic(FrameHeader.magic(header))) {
            headerBuffer.clear();
            return io.readFully(headerBuffer, deadlineNanos, "a frame header");
        }
        headerBuffer.limit(FrameHeader.LENGTH);
        if (!io.readFully(headerBuffer, deadlineNanos, "a frame header")) {
            throw new TransportException("sender closed the connection mid-frame: got " + SenderHello.LENGTH + " of "
                    + FrameHeader.LENGTH + " bytes of a frame header");
        }
        return true;
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
