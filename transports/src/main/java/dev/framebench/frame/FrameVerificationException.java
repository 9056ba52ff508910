package dev.framebench.frame;

import dev.framebench.error.TransportException;

import java.io.Serial;

/** A received frame is not what the sender wrote; the run must fail, not publish a number. */
public final class FrameVerificationException extends TransportException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int streamId;
    private final long sequence;
    private final String field;
    private final String expected;
    private final String actual;

    public FrameVerificationException(int streamId, long sequence, String field, String expected, String actual) {
        super("frame verification failed: stream=" + streamId + " sequence=" + sequence + " field=" + field
                + " expected=" + expected + " actual=" + actual);
        this.streamId = streamId;
        this.sequence = sequence;
        this.field = field;
        this.expected = expected;
        this.actual = actual;
    }

    public int streamId() {
        return streamId;
    }

    public long sequence() {
        return sequence;
    }

    public String field() {
        return field;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
