package dev.framebench.transport.file;

import dev.framebench.transport.socket.HandoffChannel;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.StagingBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The sending end of file-handoff: writes each frame as a file into the receiver's folder, then announces
 * its name. At most {@code inflight} files are outstanding (written, not yet acknowledged as consumed):
 * names are a few bytes, so without this credit the socket alone would let thousands of multi-megabyte
 * files pile up in the folder. A sender out of credit waits for an acknowledgement until its deadline.
 *
 * <p>Threading: one thread.
 */
final class FileHandoffSender implements FrameSender {
    /** How long {@link #close()} waits for the receiver to consume the files still outstanding. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final HandoffChannel channel;
    private final FrameFileWriter files;
    private final int inflight;
    private final String receiver;
    private final StagingBuffer staging = new StagingBuffer();

    FileHandoffSender(HandoffChannel channel, FrameFileWriter files, int inflight, String receiver) {
        this.channel = channel;
        this.files = files;
        this.inflight = inflight;
        this.receiver = receiver;
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        return staging.claim(frameBytes, deadlineNanos);
    }

    @Override
    public void commit() {
        staging.commit(this::send);
    }

    /** Writes straight from {@code frame}: a direct view of native memory, so the file write is the only copy. */
    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        publish(frame.asByteBuffer(), deadlineNanos);
    }

    private void publish(ByteBuffer frame, long deadlineNanos) {
        channel.awaitRoom(inflight, deadlineNanos, receiver);
        String name = files.write(frame);
        try {
            channel.announce(name, deadlineNanos);
        } catch (RuntimeException e) {
            // The receiver may have emptied its folder while this file was being written: take it back.
            files.discard(name);
            throw e;
        }
    }

    /** Ends the stream after the last announcement and collects what is still owed ({@link HandoffChannel#finish}). */
    @Override
    public void close() {
        channel.finish(CLOSE_TIMEOUT);
        staging.close();
    }
}
