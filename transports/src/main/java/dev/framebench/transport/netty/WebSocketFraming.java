package dev.framebench.transport.netty;

import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.websocket.WebSocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;

import java.io.IOException;
import java.net.URI;

/**
 * The sender's WebSocket framing, on Netty's client codec: the opening handshake to
 * {@link WebSocketOptions#PATH}, one binary message per frame (split into a binary frame and continuation
 * frames of {@code ws.fragment} payload bytes when asked), masked unless {@code ws.mask=false},
 * permessage-deflate when {@code ws.deflate=true}, and the closing handshake at the end.
 *
 * <p>Threading: {@link #initPipeline} and the writing of fragments on the event loop, the rest on the
 * sending thread.
 */
final class WebSocketFraming implements NettyFrameSender.Framing {
    private final WebSocketOptions ws;
    private final WebSocketClientProtocolConfig config;
    // Written on the event loop before the connection completes, read after: the connect future orders them.
    private volatile Promise<Void> handshaken;

    WebSocketFraming(WebSocketOptions ws, URI uri) {
        this.ws = ws;
        this.config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .performMasking(ws.mask())
                .allowExtensions(ws.deflate())
                .handshakeTimeoutMillis(NettyFrameSender.OPEN_TIMEOUT.toMillis())
                .forceCloseTimeoutMillis(NettyFrameSender.CLOSE_TIMEOUT.toMillis())
                // endStream sends the close frame; closing the channel after a failed or timed-out write must
                // not first queue one behind a frame the receiver is not taking.
                .sendCloseFrame(null)
                .build();
    }

    @Override
    public void initPipeline(ChannelPipeline pipeline) {
        Promise<Void> done = pipeline.channel().eventLoop().newPromise();
        pipeline.addLast(new HttpClientCodec(), new HttpObjectAggregator(WsNettyTransport.HANDSHAKE_MESSAGE_BYTES));
        if (ws.deflate()) {
            pipeline.addLast(new WebSocketClientCompressionHandler(WebSocketOptions.MAX_MESSAGE_BYTES));
        }
        pipeline.addLast(new WebSocketClientProtocolHandler(config), new HandshakeWatcher(done));
        handshaken = done;
    }

    @Override
    public void awaitReady(long deadlineNanos, String peer) {
        NettyFutures.await(handshaken, deadlineNanos, "completing the WebSocket handshake with " + peer);
    }

    @Override
    public void write(Channel channel, ByteBuf frame, ChannelPromise written) {
        if (ws.fragmentBytes() == 0 || frame.readableBytes() <= ws.fragmentBytes()) {
            channel.writeAndFlush(new BinaryWebSocketFrame(frame), written);
        } else {
            // One task writes every fragment: writes from another thread would each be a task of their own.
            channel.eventLoop().execute(() -> writeFragments(channel, frame, written));
        }
    }

    /** A binary frame without FIN, continuation frames, the last with FIN; slices of the message, not copies. */
    private void writeFragments(Channel channel, ByteBuf message, ChannelPromise written) {
        PromiseCombiner fragmentsWritten = new PromiseCombiner(channel.eventLoop());
        int start = message.readerIndex();
        int length = message.readableBytes();
        for (int offset = 0; offset < length; offset += ws.fragmentBytes()) {
            int fragmentBytes = Math.min(ws.fragmentBytes(), length - offset);
            ByteBuf fragment = message.retainedSlice(start + offset, fragmentBytes);
            boolean last = offset + fragmentBytes == length;
            WebSocketFrame frame = offset == 0 ? new BinaryWebSocketFrame(false, 0, fragment) : new ContinuationWebSocketFrame(last, 0, fragment);
            fragmentsWritten.add(channel.write(frame));
        }
        message.release();
        channel.flush();
        fragmentsWritten.finish(written);
    }

    /**
     * Sends a close frame, then waits for the receiver to answer it and close the connection: RFC 6455
     * s.7.1.1 has the server close TCP first, and Netty's client handler closes on the answer.
     */
    @Override
    public void endStream(Channel channel, long deadlineNanos, String peer) {
        NettyFutures.await(channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)), deadlineNanos,
                "sending a WebSocket close frame to " + peer);
        NettyFutures.await(channel.closeFuture(), deadlineNanos, "waiting for " + peer + " to answer the WebSocket close frame");
    }

    /** Completes the handshake promise from the client handler's events; a failure before it fails the promise. */
    private static final class HandshakeWatcher extends ChannelInboundHandlerAdapter {
        private final Promise<Void> handshaken;

        HandshakeWatcher(Promise<Void> handshaken) {
            this.handshaken = handshaken;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshaken.trySuccess(null);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                handshaken.tryFailure(new TransportTimeoutException("timed out waiting for the WebSocket handshake response"));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Before the handshake this fails it; after, the next write fails on the closed channel.
            handshaken.tryFailure(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshaken.tryFailure(new IOException("the connection closed before the handshake response"));
            ctx.fireChannelInactive();
        }
    }
}
