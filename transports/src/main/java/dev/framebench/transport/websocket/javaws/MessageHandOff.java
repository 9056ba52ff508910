package dev.framebench.transport.websocket.javaws;

import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;

import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Hands whole messages from Java-WebSocket's decoder thread, which pushes them through a callback, to the
 * receiving thread, which pulls them with a deadline. At most {@link #CAPACITY} messages are out at once,
 * counting the one the receiver holds until it releases it; the decoder thread blocks for room inside its
 * callback. That is where Java-WebSocket takes back-pressure: while its decoder thread is blocked, its
 * selector thread soon has no free read buffer (it pools one 64 KiB buffer per accepted connection, at
 * most three), blocks waiting for one to come back, stops reading the socket, and TCP flow control stalls
 * the sender's writes.
 *
 * <p>The end of the stream travels behind the last message but takes no room, so the library's selector
 * thread, which reports a close, never blocks here.
 *
 * <p>Threading: {@link #put} from the decoder thread; {@link #end} from any library thread, once;
 * {@link #take} and {@link #release} from the receiving thread; {@link #close} from any.
 */
final class MessageHandOff {
    /** One message held by the receiver and one ready behind it: enough to overlap decoding and consuming. */
    static final int CAPACITY = 2;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final Semaphore room = new Semaphore(CAPACITY);
    private final LinkedBlockingQueue<ByteBuffer> messages = new LinkedBlockingQueue<>();
    /** Why the stream ended, or null if cleanly; written before {@link #END} is queued. */
    private volatile String failure;
    private volatile boolean closed;

    /** Blocks until there is room; drops the message once the receiver has closed. */
    void put(ByteBuffer message) {
        if (closed) {
            return;
        }
        try {
            room.acquire();
        } catch (InterruptedException e) {
            // The library interrupts its decoder thread to shut it down; the flag lets the thread see that.
            Thread.currentThread().interrupt();
            return;
        }
        if (closed) {
            room.release();
            return;
        }
        messages.add(message);
    }

    /** No message follows; {@code failure} says why the stream broke, or is null for a clean end. */
    void end(String failure) {
        this.failure = failure;
        messages.add(END);
    }

    /**
     * The next message, valid until {@link #release()}; null at a clean end of stream (and ever after).
     * Throws {@link TransportException} if the stream broke, {@link TransportTimeoutException} at the deadline.
     */
    ByteBuffer take(long deadlineNanos, String awaiting) {
        ByteBuffer next;
        try {
            next = messages.poll(Deadline.remainingNanos(deadlineNanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted " + awaiting, e);
        }
        if (next == null) {
            throw new TransportTimeoutException("timed out " + awaiting);
        }
        if (next == END) {
            messages.add(END);
            if (failure != null) {
                throw new TransportException(failure);
            }
            return null;
        }
        return next;
    }

    /** The receiver is done with the message {@link #take} returned: room for one more. */
    void release() {
        room.release();
    }

    /** From now on messages are dropped, and a decoder thread blocked for room goes on. */
    void close() {
        closed = true;
        room.release();
    }
}
