package dev.framebench.transport.inproc;

import dev.framebench.transport.Backoff;
import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rendezvous between an in-process sender thread and receiver thread: a bounded queue of frame
 * references and a set of buffers the sender claims and the receiver returns.
 *
 * <p>At most {@link #DEPTH} frames wait in the queue and one more is held by the receiver, so a sender
 * that hands over its own frames (inproc-handoff) may stamp a frame again {@code DEPTH + 2} frames later;
 * {@code FramePool.DEFAULT_FRAMES} keeps that true.
 */
final class InprocChannel {
    static final int DEPTH = 4;
    static final String SCHEME = "inproc:";
    /** Marks a clean end of stream in the queue. */
    private static final MemorySegment END_OF_STREAM = MemorySegment.ofArray(new byte[0]);
    private static final ConcurrentHashMap<String, InprocChannel> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final String endpoint;
    private final ArrayBlockingQueue<MemorySegment> published = new ArrayBlockingQueue<>(DEPTH);
    private final ArrayBlockingQueue<MemorySegment> free = new ArrayBlockingQueue<>(DEPTH + 2);
    private final long[] ownedAddresses = new long[DEPTH + 2];
    private final Arena arena = Arena.ofShared();
    private final AtomicBoolean senderAttached = new AtomicBoolean();
    // Never parked-until-signalled: a wake-up per frame would be what the ceiling measures.
    private final Backoff senderBackoff = new Backoff();
    private final Backoff receiverBackoff = new Backoff();
    // Timeout messages built once: a wait loop that concatenates per spin allocates on the ceiling's hot path.
    private final String awaitingTake;
    private final String awaitingRelease;
    private final String awaitingFrame;
    private volatile boolean closed;

    private InprocChannel(String endpoint) {
        this.endpoint = endpoint;
        this.awaitingTake = "waiting for the in-process receiver to take a frame from " + endpoint;
        this.awaitingRelease = "waiting for the receiver to release a buffer on " + endpoint;
        this.awaitingFrame = "waiting for the in-process sender's next frame on " + endpoint;
    }

    static InprocChannel create(String transportName) {
        String endpoint = SCHEME + transportName + "/" + ProcessHandle.current().pid() + "/" + NEXT_ID.incrementAndGet();
        InprocChannel channel = new InprocChannel(endpoint);
        OPEN.put(endpoint, channel);
        return channel;
    }

    static InprocChannel attachSender(String endpoint) {
        InprocChannel channel = OPEN.get(endpoint);
        if (channel == null) {
            throw new BadInputException("no in-process receiver at '" + endpoint
                    + "' in this JVM; inproc transports run sender and receiver as threads of one process");
        }
        if (!channel.senderAttached.compareAndSet(false, true)) {
            throw new TransportException("in-process receiver " + endpoint + " already has a sender; a second one is refused");
        }
        return channel;
    }

    String endpoint() {
        return endpoint;
    }

    boolean senderAttached() {
        return senderAttached.get();
    }

    /** A buffer of exactly {@code frameBytes} the sender may fill; buffers are made on first use. */
    MemorySegment claimBuffer(int frameBytes, long deadlineNanos) {
        MemorySegment buffer = free.poll();
        if (buffer == null) {
            int made = madeBuffers();
            if (made < ownedAddresses.length) {
                buffer = allocate(made, frameBytes);
            } else {
                buffer = poll(free, deadlineNanos, awaitingRelease, senderBackoff);
            }
        }
        if (buffer.byteSize() != frameBytes) {
            // Frame size changed: this slot gets a buffer of the new size; the old one dies with the arena.
            buffer = replace(buffer, frameBytes);
        }
        return buffer;
    }

    void publish(MemorySegment frame, long deadlineNanos) {
        senderBackoff.reset();
        while (!published.offer(frame)) {
            checkOpen();
            senderBackoff.idle(deadlineNanos, awaitingTake);
        }
    }

    void publishEndOfStream(long deadlineNanos) {
        publish(END_OF_STREAM, deadlineNanos);
    }

    /** The next frame, or {@code null} at end of stream. */
    MemorySegment take(long deadlineNanos) {
        MemorySegment frame = published.poll();
        if (frame == null) {
            frame = poll(published, deadlineNanos, awaitingFrame, receiverBackoff);
        }
        return frame == END_OF_STREAM ? null : frame;
    }

    /** Returns a frame the receiver is done with; only the channel's own buffers go back to the free list. */
    void giveBack(MemorySegment frame) {
        long address = frame.address();
        for (long owned : ownedAddresses) {
            if (owned == address && owned != 0) {
                free.offer(frame);
                return;
            }
        }
    }

    void close() {
        closed = true;
        OPEN.remove(endpoint);
        published.clear();
        free.clear();
        arena.close();
    }

    private synchronized int madeBuffers() {
        int made = 0;
        while (made < ownedAddresses.length && ownedAddresses[made] != 0) {
            made++;
        }
        return made;
    }

    private synchronized MemorySegment allocate(int slot, int frameBytes) {
        MemorySegment buffer = arena.allocate(frameBytes, 64);
        ownedAddresses[slot] = buffer.address();
        return buffer;
    }

    private synchronized MemorySegment replace(MemorySegment old, int frameBytes) {
        for (int i = 0; i < ownedAddresses.length; i++) {
            if (ownedAddresses[i] == old.address()) {
                return allocate(i, frameBytes);
            }
        }
        throw new IllegalStateException("buffer not owned by " + endpoint);
    }

    private MemorySegment poll(ArrayBlockingQueue<MemorySegment> queue, long deadlineNanos, String awaiting, Backoff backoff) {
        backoff.reset();
        MemorySegment item;
        while ((item = queue.poll()) == null) {
            checkOpen();
            backoff.idle(deadlineNanos, awaiting);
        }
        return item;
    }

    private void checkOpen() {
        if (closed) {
            throw new TransportException("in-process channel " + endpoint + " is closed");
        }
    }
}
