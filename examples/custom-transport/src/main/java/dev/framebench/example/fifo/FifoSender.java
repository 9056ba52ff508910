package dev.framebench.example.fifo;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.StagingBuffer;
import dev.framebench.transport.FrameSender;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Writes frames into the write end of a FIFO, header and payload back to back, nothing between them.
 * {@link #send} writes straight from the caller's frame, so the only copies are the kernel's (into the
 * pipe buffer, and out of it into the receiver's); {@link #claim} hands out a staging buffer for
 * producers that render in place, written on {@link #commit()}. A full pipe (64 KiB by default, a small
 * part of one frame) is waited out in {@code poll(2)}, never past the deadline.
 *
 * <p>One sender per FIFO is as far as framebench's own senders go: each takes the FIFO's write lock as it
 * opens, and a second one is refused. The kernel enforces nothing of the kind: a writer that takes no
 * lock (this user's, or root's) still writes, and since writes longer than {@code PIPE_BUF} (4096
 * bytes) are not atomic its bytes land inside the frames, where the receiver's framing check catches
 * them as a bad magic or length.
 *
 * <p>Threading: single thread, as every sender.
 */
final class FifoSender implements FrameSender {
    private final FifoEnd writeEnd;
    private final StagingBuffer staging = new StagingBuffer();
    /** Set once a frame went out in part: the receiver can no longer find where frames begin. */
    private String broken;
    private boolean closed;

    private FifoSender(FifoEnd writeEnd) {
        this.writeEnd = writeEnd;
    }

    /** Opens the write end (waiting until {@code deadlineNanos} for the receiver's read end) and takes the write lock. */
    static FifoSender open(Path fifo, long deadlineNanos) {
        FifoEnd end = FifoEnd.openWriteEnd(fifo, deadlineNanos);
        try {
            if (!end.tryLockAsSoleWriter()) {
                throw new TransportException("fifo " + fifo + " already has a sender (another framebench sender holds its write lock);"
                        + " a fifo receiver serves one sender: open one receiver per sender");
            }
            return new FifoSender(end);
        } catch (RuntimeException e) {
            end.close();
            throw e;
        }
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        return staging.claim(frameBytes, deadlineNanos);
    }

    @Override
    public void commit() {
        staging.commit(this::writeFully);
    }

    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        if (!frame.isNative()) {
            // write(2) needs an address; a heap frame goes through the staging buffer.
            FrameSender.super.send(frame, deadlineNanos);
            return;
        }
        writeFully(frame, deadlineNanos);
    }

    private void writeFully(MemorySegment frame, long deadlineNanos) {
        if (broken != null) {
            throw new TransportException(broken);
        }
        long length = frame.byteSize();
        long written = 0;
        while (written < length) {
            long n = writeEnd.write(frame, written, length - written);
            if (n > 0) {
                written += n;
            } else if (n == FifoEnd.NO_READER) {
                broken = "receiver of fifo " + writeEnd.path() + " is gone; open a new receiver and sender";
                throw new TransportException("receiver closed fifo " + writeEnd.path() + ": wrote " + written + " of " + length
                        + " bytes of a frame, then EPIPE; the receiver died or closed, see its output");
            } else if (!writeEnd.awaitWritable(deadlineNanos)) {
                if (written > 0) {
                    broken = "fifo " + writeEnd.path() + " lost its framing: a send timed out after " + written + " of " + length
                            + " bytes of a frame; open a new receiver and sender";
                }
                throw new TransportTimeoutException("timed out writing a frame to fifo " + writeEnd.path() + ": wrote " + written
                        + " of " + length + " bytes (the receiver stalled, or stopped reading)");
            }
        }
    }

    /**
     * Closes the write end: the last writer gone is the FIFO's end of stream, which the receiver reads as
     * the clean end when it comes after a whole frame.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeEnd.close();
        staging.close();
    }
}
