package dev.framebench.transport.netty;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.error.TransportException;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.socket.ForeignConnections;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.socket.SenderGate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Promise;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receiving end of a Netty transport: a server channel that accepts one sender, a pipeline the
 * transport sets up to turn that sender's bytes into whole frames, and a {@link FrameHandoff} that gives
 * them to {@link #receive} one at a time.
 *
 * <p>A frame is handed out as a read-only view of the {@link ByteBuf} it arrived in when that is contiguous
 * (no copy; direct memory, or heap memory where Netty inflated it), or copied once into this receiver's own
 * buffer when it is not (a message reassembled from fragments); either view is valid until {@link #release()}.
 *
 * <p>One sender per receiver, chosen by {@link OneSender}: without a token the first connection; with one
 * the first to present the run's hello, each connection through a {@link SenderCandidate} of its own, so a
 * stranger that connects first and says nothing holds back nobody. Every other connection is closed and
 * counted in {@link ForeignConnections}: before the sender, once it fails its hello (unread beyond it);
 * after the sender, as it is accepted, before a byte of it is read, without touching the first.
 *
 * <p>Threading: one caller thread runs the {@link FrameReceiver} methods; one event loop thread, owned by
 * this receiver, does all I/O and is stopped by {@link #close()}.
 */
final class NettyFrameReceiver implements FrameReceiver {
    /**
     * Reads of up to 1 MiB (Netty's default stops at 64 KiB): a few system calls per multi-megabyte frame,
     * in buffers Netty's default allocator still pools.
     */
    private static final AdaptiveRecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator(4096, 65536, 1 << 20);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** How a transport turns an accepted connection's bytes into whole frames. */
    @FunctionalInterface
    interface SenderPipeline {
        /**
         * Adds the handlers that pass on each whole frame as one {@link ByteBuf} (the hand-off comes after
         * them, added once the connection is the sender). With a token they take the connection's hello and
         * call {@link SenderCandidate#becomeSender()} once it passes; they call {@link SenderCandidate#ready()}
         * once frames may flow, leaving autoRead off from then on (the hand-off reads on demand), and
         * {@link SenderCandidate#refuse} for whatever ends the connection before. Runs on the event loop.
         */
        void init(Channel connection, SenderCandidate candidate);
    }

    private final String scheme;
    private final EventLoopGroup group;
    private final String endpoint;
    private final Map<String, String> description;
    private final Promise<Void> senderReady;
    private final OneSender gate;
    // Shared, not confined: a receiver may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private MemorySegment copyBuffer = MemorySegment.NULL;
    private ByteBuf held;
    private boolean closed;

    private NettyFrameReceiver(String scheme, EventLoopGroup group, String endpoint, Map<String, String> description,
                               Promise<Void> senderReady, OneSender gate) {
        this.scheme = scheme;
        this.group = group;
        this.endpoint = endpoint;
        this.description = description;
        this.senderReady = senderReady;
        this.gate = gate;
    }

    /**
     * Binds {@code listen} and starts accepting. {@code scheme} is the transport's name, as endpoints are
     * written in messages ({@code tcp-netty://127.0.0.1:7000}); {@code settings} are what {@link #describe()}
     * reports beside the Netty transport that runs.
     */
    static NettyFrameReceiver open(String scheme, NettyIo io, InetSocketAddress listen, SenderPipeline pipeline,
                                   Map<String, String> settings, RunToken token) {
        EventLoopGroup group = io.newEventLoopGroup("framebench-" + scheme + "-receiver");
        try {
            Promise<Void> senderReady = group.next().newPromise();
            ForeignConnections foreign = new ForeignConnections(scheme);
            OneSender gate = new OneSender(scheme, pipeline, senderReady, foreign, token);
            ChannelFuture bound = new ServerBootstrap()
                    .group(group)
                    .channel(io.serverChannelClass())
                    // As SenderGate.BACKLOG: with a token, strangers may queue ahead of the sender.
                    .option(ChannelOption.SO_BACKLOG, SenderGate.BACKLOG)
                    // One frame is many segments; Nagle would hold back the last partial one of every frame.
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.RECVBUF_ALLOCATOR, READ_SIZES)
                    .childHandler(gate)
                    .bind(listen);
            try {
                NettyFutures.await(bound, Deadline.after(BIND_TIMEOUT), "binding " + InetAddresses.format(listen));
            } catch (TransportException e) {
                throw bindFailure(listen, e);
            }
            Map<String, String> description = new LinkedHashMap<>();
            description.put(NettyIo.OPTION, io.ioName());
            description.putAll(settings);
            String endpoint = InetAddresses.format((InetSocketAddress) bound.channel().localAddress());
            return new NettyFrameReceiver(scheme, group, endpoint, Collections.unmodifiableMap(description), senderReady, gate);
        } catch (RuntimeException e) {
            NettyFutures.shutdownAfterFailure(group, e, scheme + " receiver");
            throw e;
        }
    }

    private static RuntimeException bindFailure(InetSocketAddress listen, TransportException e) {
        Throwable cause = e.getCause();
        // NIO reports a BindException; native epoll an IOException carrying the errno text.
        boolean inUse = cause instanceof BindException
                || cause != null && String.valueOf(cause.getMessage()).contains("Address already in use");
        if (inUse) {
            return new BadInputException("cannot listen on " + InetAddresses.format(listen) + ": " + cause.getMessage()
                    + "; choose a free port with listen=HOST:PORT or port 0 for any");
        }
        return e;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        gate.awaitDeadlineNanos = deadlineNanos;
        if (!senderReady.isSuccess()) {
            NettyFutures.await(senderReady, deadlineNanos, "waiting for a sender on " + scheme + "://" + endpoint);
        }
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        awaitSender(deadlineNanos);
        release();
        ByteBuf frame = gate.handoff().take(deadlineNanos);
        if (frame == null) {
            return null;
        }
        if (frame.nioBufferCount() == 1) {
            held = frame;
            return MemorySegment.ofBuffer(frame.nioBuffer()).asReadOnly();
        }
        return copyOut(frame);
    }

    /** One copy of a frame held in pieces (a composite buffer) into this receiver's own contiguous buffer. */
    private MemorySegment copyOut(ByteBuf frame) {
        try {
            int frameBytes = frame.readableBytes();
            if (copyBuffer.byteSize() < frameBytes) {
                copyBuffer = arena.allocate(frameBytes, 64);
            }
            MemorySegment copy = copyBuffer.asSlice(0, frameBytes);
            frame.getBytes(frame.readerIndex(), copy.asByteBuffer());
            return copy.asReadOnly();
        } finally {
            frame.release();
        }
    }

    @Override
    public void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    @Override
    public int foreignConnectionsRefused() {
        return gate.refused();
    }

    @Override
    public Map<String, String> describe() {
        return description;
    }

    /** Closes both channels and stops the event loop by a deadline, then frees what was never taken. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        try {
            NettyFutures.shutdown(group, Deadline.after(CLOSE_TIMEOUT), scheme + " receiver on " + endpoint);
            FrameHandoff handoff = gate.handoff();
            if (handoff != null) {
                handoff.discardUntaken();
            }
        } finally {
            arena.close();
        }
    }

    /**
     * Chooses the sender among the accepted connections and closes every other one. Threading: event loop;
     * the hand-off it creates is read by the receiving thread once {@code senderReady} says so, or once the
     * event loop has stopped.
     */
    static final class OneSender extends ChannelInitializer<Channel> {
        private final String scheme;
        private final SenderPipeline pipeline;
        private final Promise<Void> senderReady;
        private final ForeignConnections foreign;
        private final RunToken token;
        /**
         * The receiving thread's latest awaitSender deadline, which caps how long a hello is awaited; until
         * the first call only the hello timeout applies.
         */
        volatile long awaitDeadlineNanos = Deadline.after(Duration.ofDays(1));
        private boolean accepted;
        private volatile FrameHandoff handoff;

        OneSender(String scheme, SenderPipeline pipeline, Promise<Void> senderReady, ForeignConnections foreign, RunToken token) {
            this.scheme = scheme;
            this.pipeline = pipeline;
            this.senderReady = senderReady;
            this.foreign = foreign;
            this.token = token;
        }

        int refused() {
            return foreign.count();
        }

        FrameHandoff handoff() {
            return handoff;
        }

        @Override
        protected void initChannel(Channel connection) {
            if (accepted) {
                // A stranger, or a second sender: refused and counted, the first stream goes on.
                connection.close();
                refused(connection, RefusedSenders.SERVING_ONE_SENDER);
                return;
            }
            String peer = "sender on " + endpoint(connection);
            if (token == null) {
                // The first connection is the sender; its hand-off goes after the transport's handlers. The
                // first request for a frame runs on this thread after this method, when the hand-off is in.
                FrameHandoff frames = choose(connection, peer);
                pipeline.init(connection, new SenderCandidate(this, connection, peer, null, true));
                connection.pipeline().addLast(frames);
                return;
            }
            SenderCandidate candidate = new SenderCandidate(this, connection, peer, token, false);
            pipeline.init(connection, candidate);
            candidate.startHelloClock(RunToken.helloDeadline(awaitDeadlineNanos));
        }

        /**
         * With a token: makes {@code connection}, whose hello just passed, the sender unless one was chosen
         * already; its hand-off goes last in its pipeline, after the transport's handlers.
         */
        boolean claim(Channel connection, String peer) {
            if (accepted) {
                return false;
            }
            connection.pipeline().addLast(choose(connection, peer));
            return true;
        }

        /** The hand-off is published before the sender may be declared ready, which is what the receiving thread waits on. */
        private FrameHandoff choose(Channel connection, String peer) {
            accepted = true;
            FrameHandoff frames = new FrameHandoff(connection.eventLoop(), peer);
            handoff = frames;
            return frames;
        }

        boolean served() {
            return accepted;
        }

        void senderReady() {
            senderReady.trySuccess(null);
        }

        void senderFailed(Throwable failure) {
            senderReady.tryFailure(failure);
        }

        void refused(Channel connection, String reason) {
            foreign.refused(endpoint(connection), connection.remoteAddress(), reason);
        }

        private String endpoint(Channel connection) {
            return scheme + "://" + InetAddresses.format((InetSocketAddress) connection.localAddress());
        }
    }
}
