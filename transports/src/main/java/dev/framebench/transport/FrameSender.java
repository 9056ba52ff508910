package dev.framebench.transport;

import dev.framebench.error.TransportTimeoutException;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The sending end of a transport.
 *
 * @implSpec One frame is in flight per claim: {@link #claim(int, long)} returns writable memory of exactly
 * {@code frameBytes}, the caller writes a whole frame (header and payload) into it, then
 * {@link #commit()} publishes it. Transports that can write in place (a shared-memory ring) hand out the
 * destination itself; the others hand out a staging buffer and copy on commit. Every blocking call
 * honours its deadline and throws {@link TransportTimeoutException} past it. {@link #close()} ends the
 * stream cleanly: the receiver sees end of stream after the last committed frame. Single thread.
 */
public interface FrameSender extends AutoCloseable {
    MemorySegment claim(int frameBytes, long deadlineNanos);

    void commit();

    /**
     * Sends a frame that already exists in the sender's memory (a decoder's output, a pooled frame). The
     * default claims, copies and commits; transports that can do better override it (a socket writes
     * straight from {@code frame}, an in-process hand-off passes the reference). {@code frame} may be
     * stamped again once this returns, except where a transport documents a longer hold.
     */
    default void send(MemorySegment frame, long deadlineNanos) {
        claim(Math.toIntExact(frame.byteSize()), deadlineNanos).copyFrom(frame);
        commit();
    }

    /**
     * The frames this sender lends its caller to keep its pre-rendered pictures in (a zero-copy transport's
     * slots in shared memory), in the order {@link #claim} hands them out, cyclically; empty, the default, when
     * what {@link #claim} returns does not keep its content from one claim to the next.
     *
     * @implSpec Called at most once, before the first claim, with the size of every frame the stream will
     * send (header included). When it returns frames, the caller renders one picture into each once and
     * from then on sends a frame as {@link #claim} (which returns lent frame {@code k mod size()} for the
     * k-th claim, once the receiver has given it back), a header stamp into what it returned, and
     * {@link #commit()}: no byte of the payload is written again, so the transport moves no payload at all.
     * Each returned segment is exactly {@code frameBytes} long and stays valid until {@link #close()}.
     */
    default List<MemorySegment> lentFrames(int frameBytes) {
        return List.of();
    }

    @Override
    void close();
}
