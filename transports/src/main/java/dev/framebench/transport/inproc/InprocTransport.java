package dev.framebench.transport.inproc;

import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Map;

/**
 * The single-process monolith: sender and receiver are threads of one JVM and a frame changes hands
 * through a bounded queue. The two ceilings differ only in {@link FrameSender#send}: the hand-off passes
 * the sender's own frame (zero copies), the copy writes it once into a receiver buffer (one memcpy).
 */
abstract sealed class InprocTransport implements Transport permits InprocCopyTransport, InprocHandoffTransport {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final boolean zeroCopy;

    InprocTransport(boolean zeroCopy) {
        this.zeroCopy = zeroCopy;
    }

    @Override
    public final boolean singleProcess() {
        return true;
    }

    @Override
    public final int copiesPerFrame() {
        return zeroCopy ? 0 : 1;
    }

    @Override
    public final Map<String, String> options() {
        return Map.of();
    }

    @Override
    public final FrameReceiver openReceiver(TransportOptions options) {
        return new Receiver(InprocChannel.create(name()));
    }

    @Override
    public final FrameSender openSender(String endpoint, TransportOptions options) {
        return new Sender(InprocChannel.attachSender(endpoint), zeroCopy);
    }

    private static final class Sender implements FrameSender {
        private final InprocChannel channel;
        private final boolean zeroCopy;
        private MemorySegment claimed;
        private long claimDeadlineNanos;

        Sender(InprocChannel channel, boolean zeroCopy) {
            this.channel = channel;
            this.zeroCopy = zeroCopy;
        }

        @Override
        public MemorySegment claim(int frameBytes, long deadlineNanos) {
            claimed = channel.claimBuffer(frameBytes, deadlineNanos);
            claimDeadlineNanos = deadlineNanos;
            return claimed;
        }

        @Override
        public void commit() {
            channel.publish(claimed, claimDeadlineNanos);
            claimed = null;
        }

        @Override
        public void send(MemorySegment frame, long deadlineNanos) {
            if (zeroCopy) {
                channel.publish(frame, deadlineNanos);
            } else {
                FrameSender.super.send(frame, deadlineNanos);
            }
        }

        @Override
        public void close() {
            channel.publishEndOfStream(Deadline.after(CLOSE_TIMEOUT));
        }
    }

    private static final class Receiver implements FrameReceiver {
        private final InprocChannel channel;
        private MemorySegment current;

        Receiver(InprocChannel channel) {
            this.channel = channel;
        }

        @Override
        public String endpoint() {
            return channel.endpoint();
        }

        @Override
        public void awaitSender(long deadlineNanos) {
            while (!channel.senderAttached()) {
                Deadline.check(deadlineNanos, "waiting for an in-process sender on " + channel.endpoint());
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        @Override
        public MemorySegment receive(long deadlineNanos) {
            current = channel.take(deadlineNanos);
            return current == null ? null : current.asReadOnly();
        }

        @Override
        public void release() {
            if (current != null) {
                channel.giveBack(current);
                current = null;
            }
        }

        @Override
        public void close() {
            channel.close();
        }
    }
}
