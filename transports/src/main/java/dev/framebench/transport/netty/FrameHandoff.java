package dev.framebench.transport.netty;

import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a receiver's pipeline: hands whole frames from the event loop to the receiving
 * thread, one per request, so that Netty's push model serves the pull-style {@code receive(deadline)}.
 *
 * <p>Back-pressure: the channel's autoRead is off once frames flow. {@link #take} asks the event loop for
 * one frame; the event loop hands over one it has decoded already, or reads the socket (again and again,
 * while the decoder needs more bytes) until it has one. The socket is therefore read only as fast as frames
 * are taken: a slow receiver fills the kernel's receive buffer and TCP flow control stops the sender.
 * Frames decoded ahead of demand (several small ones out of one socket read) wait in an event-loop queue
 * that one read bounds.
 *
 * <p>Each received item is a frame ({@link ByteBuf}, owned by whoever holds it), then at most one end: a
 * clean end of stream (the channel closed at a frame boundary) or the {@link TransportException} that
 * broke the stream (raised by a decoder through {@code exceptionCaught}).
 *
 * <p>Threading: channel callbacks and the queue of frames decoded ahead run on the event loop;
 * {@link #take} and {@link #discardUntaken} on the receiving thread. They meet only in a one-slot
 * queue that never holds more than the item one request asked for.
 */
final class FrameHandoff extends ChannelInboundHandlerAdapter {
    private static final Object END_OF_STREAM = new Object();

    private final EventLoop eventLoop;
    private final String peer;
    private final Runnable request = this::onRequest;
    private final ArrayBlockingQueue<Object> slot = new ArrayBlockingQueue<>(1);

    // Event loop only.
    private final ArrayDeque<Object> decodedAhead = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean requested;
    private boolean ended;

    // Receiving thread only.
    private boolean requestOutstanding;
    private Object end;

    FrameHandoff(EventLoop eventLoop, String peer) {
        this.eventLoop = eventLoop;
        this.peer = peer;
    }

    /**
     * The next frame, which the caller must release; {@code null} at a clean end of stream. Throws what
     * broke the stream, or a timeout at the deadline. After a timeout the request stays outstanding, so the
     * next call waits for the same frame rather than asking for a second.
     */
    ByteBuf take(long deadlineNanos) {
        if (end != null) {
            return ended();
        }
        if (!requestOutstanding) {
            eventLoop.execute(request);
            requestOutstanding = true;
        }
        Object item;
        try {
            item = slot.poll(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted waiting for a frame from " + peer, e);
        }
        if (item == null) {
            throw new TransportTimeoutException("timed out waiting for a frame from " + peer + " (sender stalled?)");
        }
        requestOutstanding = false;
        if (item instanceof ByteBuf frame) {
            return frame;
        }
        end = item;
        return ended();
    }

    private ByteBuf ended() {
        if (end instanceof TransportException broken) {
            throw new TransportException(broken.getMessage(), broken);
        }
        return null;
    }

    /** Releases frames read but never taken; call only once the event loop has terminated. */
    void discardUntaken() {
        decodedAhead.forEach(ReferenceCountUtil::release);
        decodedAhead.clear();
        Object item = slot.poll();
        ReferenceCountUtil.release(item);
    }

    private void onRequest() {
        if (!decodedAhead.isEmpty()) {
            slot.add(decodedAhead.poll());
            return;
        }
        requested = true;
        if (ctx != null) {
            ctx.read();
        }
    }

    private void deliver(Object item) {
        if (requested) {
            requested = false;
            slot.add(item);
        } else {
            decodedAhead.add(item);
        }
    }

    private void end(Object item) {
        if (!ended) {
            ended = true;
            deliver(item);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // A request that came before the channel was active found nothing to read yet.
        if (requested) {
            ctx.read();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ended) {
            ReferenceCountUtil.release(msg);
        } else {
            deliver((ByteBuf) msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The decoder needs more bytes before it has the requested frame.
        if (requested && !ended) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end(END_OF_STREAM);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(cause instanceof TransportException broken ? broken
                : new TransportException(peer + " broke the stream: " + cause, cause));
        ctx.close();
    }
}
