package dev.framebench.transport.netty;

import dev.framebench.transport.StagingBuffer;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.socket.InetAddresses;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The sending end of a Netty transport: one connected channel on one event loop thread, both owned by this
 * sender. {@link #send} wraps the caller's frame without copying it and waits, by the deadline, until Netty
 * has written all of it, so the caller may stamp the frame again once it returns. One frame in flight is
 * the back-pressure: a receiver that stops reading stalls the socket, the write and the caller.
 *
 * <p>Threading: one caller thread; the event loop does the I/O.
 */
final class NettyFrameSender implements FrameSender {
    /** Connecting, and a handshake if the framing has one; the SPI's open calls take no deadline. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** What a transport puts around each frame on the channel. */
    interface Framing {
        /** Adds the handlers the framing needs, before the connection is made. Runs on the event loop. */
        default void initPipeline(ChannelPipeline pipeline) {
        }

        /** Waits, by the deadline, until frames may be written (a handshake). */
        default void awaitReady(long deadlineNanos, String peer) {
        }

        /**
         * Writes one frame and flushes; owns {@code frame} from then on, and completes {@code written} once
         * all of it has gone to the socket. Called on the sending thread.
         */
        void write(Channel channel, ByteBuf frame, ChannelPromise written);

        /** Ends the stream before the channel is closed (a closing handshake), by the deadline. */
        default void endStream(Channel channel, long deadlineNanos, String peer) {
        }
    }

    private final Channel channel;
    private final EventLoopGroup group;
    private final String peer;
    /** Built once: {@link #send} runs per frame. */
    private final String writingFrame;
    private final Framing framing;
    private final StagingBuffer staging = new StagingBuffer();
    private boolean closed;

    private NettyFrameSender(Channel channel, EventLoopGroup group, String peer, Framing framing) {
        this.channel = channel;
        this.group = group;
        this.peer = peer;
        this.writingFrame = "writing a frame to " + peer;
        this.framing = framing;
    }

    /**
     * Connects to {@code endpoint} ({@code HOST:PORT}, a literal address), waits until frames may be sent
     * and, given a {@code token} (null for none), presents the run's hello as the framing's first message.
     */
    static NettyFrameSender open(String scheme, NettyIo io, String endpoint, Framing framing, RunToken token) {
        InetSocketAddress address = InetAddresses.parse("endpoint", endpoint);
        String peer = "receiver " + scheme + "://" + endpoint;
        long deadline = Deadline.after(OPEN_TIMEOUT);
        EventLoopGroup group = io.newEventLoopGroup("framebench-" + scheme + "-sender");
        try {
            ChannelFuture connected = new Bootstrap()
                    .group(group)
                    .channel(io.socketChannelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Deadline.remainingMillis(deadline)))
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            framing.initPipeline(ch.pipeline());
                        }
                    })
                    .connect(address);
            try {
                NettyFutures.await(connected, deadline, "connecting to " + peer);
            } catch (TransportTimeoutException e) {
                throw e;
            } catch (TransportException e) {
                throw new TransportException(e.getMessage() + "; is a receiver listening there (scripts/framebench receive)?", e.getCause());
            }
            framing.awaitReady(deadline, peer);
            NettyFrameSender sender = new NettyFrameSender(connected.channel(), group, peer, framing);
            if (token != null) {
                try {
                    // Before any frame: tcp-netty's first 24 bytes, ws-netty's first binary message.
                    sender.send(MemorySegment.ofBuffer(token.helloBuffer()), deadline);
                } catch (RuntimeException e) {
                    sender.close();
                    throw e;
                }
            }
            return sender;
        } catch (RuntimeException e) {
            NettyFutures.shutdownAfterFailure(group, e, scheme + " sender");
            throw e;
        }
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        return staging.claim(frameBytes, deadlineNanos);
    }

    @Override
    public void commit() {
        staging.commit(this::send);
    }

    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        ChannelPromise written = channel.newPromise();
        // A view of the caller's native memory, not a copy: hence the wait for the write below.
        framing.write(channel, Unpooled.wrappedBuffer(frame.asByteBuffer()), written);
        try {
            NettyFutures.await(written, deadlineNanos, writingFrame);
        } catch (TransportTimeoutException e) {
            // Netty may still be reading the caller's frame; closing fails the write and lets go of it.
            channel.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
            throw e;
        }
    }

    /**
     * Ends the stream after the last whole frame, closes the channel and stops the event loop, each step by
     * a deadline of its own so that a receiver that never answers cannot leave the event loop running.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel.isActive()) {
                framing.endStream(channel, Deadline.after(CLOSE_TIMEOUT), peer);
            }
        } catch (TransportException e) {
            // The receiver may be gone already; closing below is all that is left to do.
        }
        try {
            channel.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
            NettyFutures.shutdown(group, Deadline.after(CLOSE_TIMEOUT), "sender to " + peer);
        } finally {
            staging.close();
        }
    }
}
