package dev.framebench.example.fifo;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.Framing;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads header-and-payload frames from the read end of its FIFO into a buffer of its own and hands out
 * a read-only view of each, valid until {@link #release()} (the next {@link #receive} reuses the buffer).
 * The read end is opened before the endpoint is published, so a sender's open never waits for it.
 *
 * <p>A FIFO has no connection to accept: {@link #awaitSender} returns once a framebench sender holds
 * the FIFO's write lock (it takes one as it opens), or once any writer has written or come and gone.
 * End of stream is every writer closing: at a frame boundary that is the clean end ({@code null}), part-way
 * through a frame it is a {@link TransportException} naming the bytes missing. A sender that dies
 * between two frames cannot be told from one that closed; the harness tells them apart by the sender
 * JVM's exit status.
 *
 * <p>Threading: single thread, as every receiver.
 */
final class FifoReceiver implements FrameReceiver {
    /**
     * How often {@link #awaitSender} looks for the sender's lock while nothing is written: the sender is
     * seen within 5 ms, for one fcntl and one poll per look, paid only before the first frame.
     */
    private static final int LOCK_PROBE_MILLIS = 5;

    private final FifoFile file;
    private final FifoEnd readEnd;
    private final Map<String, String> description;
    // Shared, not confined: a receiver may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private MemorySegment buffer;
    private MemorySegment view = MemorySegment.NULL;
    private boolean senderSeen;
    /** Set when a deadline passed part-way through a frame: the stream's framing is lost from there on. */
    private String lostFraming;
    private boolean closed;

    FifoReceiver(FifoFile file, FifoEnd readEnd, int maxFrameBytes, Map<String, String> description) {
        this.file = file;
        this.readEnd = readEnd;
        this.description = description;
        this.buffer = arena.allocate(Math.max(FrameHeader.LENGTH, maxFrameBytes), 64);
    }

    @Override
    public String endpoint() {
        return file.fifo().toString();
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        while (!senderSeen) {
            if (readEnd.writerLockHeld()) {
                senderSeen = true;
            } else if (readEnd.pollReadable((int) Math.min(LOCK_PROBE_MILLIS, Deadline.remainingMillis(deadlineNanos)))) {
                // A writer that takes no lock (a script, cat) is seen by its first byte, or by its leaving.
                senderSeen = true;
            } else if (Deadline.expired(deadlineNanos)) {
                throw new TransportTimeoutException("timed out waiting for a sender to open fifo " + file.fifo()
                        + "; start the sender with this endpoint, as this user");
            }
        }
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        if (lostFraming != null) {
            throw new TransportException(lostFraming);
        }
        long header = fill(0, FrameHeader.LENGTH, deadlineNanos, "a frame header");
        if (header == 0) {
            return null;
        }
        if (header < FrameHeader.LENGTH) {
            throw endedMidFrame("header", header, FrameHeader.LENGTH);
        }
        senderSeen = true;
        // The frame package's one framing check: magic and a payload length the stream can hold, both before
        // a payload byte is read, since a stream that lost its framing cannot be trusted for one more byte.
        int payloadLength = Framing.checkHeader(buffer);
        int frameBytes = FrameHeader.LENGTH + payloadLength;
        if (buffer.byteSize() < frameBytes) {
            MemorySegment larger = arena.allocate(frameBytes, 64);
            MemorySegment.copy(buffer, 0, larger, 0, FrameHeader.LENGTH);
            buffer = larger;
        }
        long payload = fill(FrameHeader.LENGTH, payloadLength, deadlineNanos, "a frame payload");
        if (payload < payloadLength) {
            throw endedMidFrame("payload", payload, payloadLength);
        }
        if (view.byteSize() != frameBytes || view.address() != buffer.address()) {
            // Frames of one run share a size: the view is made once, not per frame.
            view = buffer.asSlice(0, frameBytes).asReadOnly();
        }
        return view;
    }

    /**
     * Reads {@code length} bytes into the buffer at {@code offset}; returns how many came, fewer only at
     * end of stream. Throws a timeout at the deadline; past the first byte of a frame, that loses the
     * stream's framing for good.
     */
    private long fill(long offset, long length, long deadlineNanos, String what) {
        long got = 0;
        while (got < length) {
            long n = readEnd.read(buffer, offset + got, length - got);
            if (n > 0) {
                got += n;
            } else if (n == 0) {
                return got;
            } else if (!readEnd.awaitReadable(deadlineNanos)) {
                if (offset + got == 0) {
                    throw new TransportTimeoutException("timed out waiting for a frame on fifo " + file.fifo()
                            + (senderSeen ? " (the sender stalled between frames)" : " (no sender has opened it)"));
                }
                lostFraming = "fifo " + file.fifo() + " lost its framing: a receive timed out after " + (offset + got)
                        + " bytes of a frame; open a new receiver";
                throw new TransportTimeoutException("timed out reading " + what + " from fifo " + file.fifo() + ": got " + got + " of "
                        + length + " bytes (the sender stalled mid-frame)");
            }
        }
        return got;
    }

    private TransportException endedMidFrame(String part, long got, long wanted) {
        String frame = part.equals("payload")
                ? " (stream " + FrameHeader.streamId(buffer) + ", sequence " + FrameHeader.sequence(buffer) + ")" : "";
        return new TransportException("sender closed fifo " + file.fifo() + " mid-frame: got " + got + " of " + wanted + " " + part
                + " bytes, " + (wanted - got) + " missing" + frame + "; the sender died or closed without finishing the frame, see its exit status");
    }

    @Override
    public void release() {
        // The buffer is reused by the next receive; nothing to hand back.
    }

    @Override
    public Map<String, String> describe() {
        return description;
    }

    /** Closes the read end, then removes the FIFO and its folder. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            readEnd.close();
            arena.close();
        } finally {
            file.close();
        }
    }

    static Map<String, String> description(FifoOptions options, FifoEnd readEnd) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("dir", options.dir().toString());
        d.put("pipeBytes", Integer.toString(readEnd.pipeBytes()));
        return d;
    }
}
