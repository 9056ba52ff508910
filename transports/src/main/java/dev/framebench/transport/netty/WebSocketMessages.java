package dev.framebench.transport.netty;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.Framing;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.websocket.WebSocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.lang.foreign.MemorySegment;

/**
 * The receiver's side of the WebSocket conversation, behind Netty's protocol handler and frame aggregator:
 * declares the sender ready once the opening handshake is done, or with a token once its first binary
 * message, the run's hello, has passed (and turns autoRead off, handing reads to the {@link FrameHandoff});
 * passes each binary message on as one frame; answers the sender's close frame and closes, which is the
 * clean end of stream; and reports anything else (a text message, a connection dropped without a close
 * frame, a request for another path) as a broken stream, or before the hello as a refused stranger.
 * Without a token a first message that is a hello is dropped: a sender given a token is taken by a
 * receiver given none.
 *
 * <p>Threading: event loop only.
 */
final class WebSocketMessages extends ChannelInboundHandlerAdapter {
    private final String peer;
    private final SenderCandidate candidate;
    /** True until the first binary message: with a token it must be the hello, without one it may be. */
    private boolean awaitingHello = true;
    private boolean closeReceived;

    WebSocketMessages(SenderCandidate candidate) {
        this.peer = candidate.peer();
        this.candidate = candidate;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete && candidate.token() == null) {
            // From here on the socket is read only when the receiving thread asks for a frame.
            ctx.channel().config().setAutoRead(false);
            candidate.ready();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case BinaryWebSocketFrame message when awaitingHello -> {
                awaitingHello = false;
                hello(ctx, message);
            }
            case BinaryWebSocketFrame message -> ctx.fireChannelRead(wholeFrame(message.content()));
            case CloseWebSocketFrame close -> {
                closeReceived = true;
                // Echoing the status code completes the closing handshake (RFC 6455 s.5.5.1); the server closes first.
                ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
            }
            case FullHttpRequest request -> refuse(ctx, request);
            default -> {
                String what = msg.getClass().getSimpleName();
                ReferenceCountUtil.release(msg);
                throw new TransportException(peer + " sent a " + what + "; framebench expects one binary message per frame");
            }
        }
    }

    /**
     * The first binary message. With a token: the hello, 24 bytes, or the connection is refused with close
     * code 1008 (policy violation). Without one: dropped if it is a hello, otherwise the first frame.
     */
    private void hello(ChannelHandlerContext ctx, BinaryWebSocketFrame message) {
        ByteBuf content = message.content();
        RunToken token = candidate.token();
        boolean isHello = content.readableBytes() == SenderHello.LENGTH
                && SenderHello.isHelloMagic(content.getIntLE(content.readerIndex() + SenderHello.MAGIC_OFFSET));
        if (token == null) {
            if (isHello) {
                message.release();
            } else {
                ctx.fireChannelRead(wholeFrame(content));
            }
            return;
        }
        String refusal;
        try {
            int bytes = content.readableBytes();
            MemorySegment presented = MemorySegment.ofBuffer(content.nioBuffer());
            int result = bytes == SenderHello.LENGTH ? token.check(presented) : SenderHello.NOT_A_HELLO;
            refusal = result == SenderHello.HELLO_OK ? null
                    : SenderHello.refusal(presented, result) + (bytes == SenderHello.LENGTH ? "" : " (a first message of " + bytes + " bytes)");
        } finally {
            message.release();
        }
        if (refusal != null) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, "no hello with the run's token"));
            candidate.refuse(refusal, null);
        } else if (candidate.becomeSender()) {
            // From here on the socket is read only when the receiving thread asks for a frame.
            ctx.channel().config().setAutoRead(false);
            candidate.ready();
        }
    }

    /**
     * A message is a frame only if it passes {@link Framing#checkMessage}: its header read where it lies
     * (the aggregated message may be a composite buffer, so no copy into a segment).
     */
    private static ByteBuf wholeFrame(ByteBuf message) {
        try {
            int messageBytes = message.readableBytes();
            Framing.requireWholeHeader(messageBytes);
            int start = message.readerIndex();
            Framing.checkMessage(messageBytes, message.getIntLE(start + FrameHeader.MAGIC_OFFSET),
                    message.getIntLE(start + FrameHeader.PAYLOAD_LENGTH_OFFSET), message.getIntLE(start + FrameHeader.STREAM_ID_OFFSET),
                    message.getLongLE(start + FrameHeader.SEQUENCE_OFFSET));
            return message;
        } catch (RuntimeException e) {
            message.release();
            throw e;
        }
    }

    /** Netty's handshake handler passes on requests for other paths; this one serves only the frame path. */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        request.release();
        FullHttpResponse notFound = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
        notFound.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
        String reason = "asked for " + uri + "; frames are served at " + WebSocketOptions.PATH;
        candidate.refuse(reason, new TransportException(peer + " " + reason));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String reason = candidate.token() == null ? "closed the connection before the WebSocket handshake completed"
                : "closed the connection before its hello";
        boolean beforeReady = candidate.refuse(reason, new TransportException(peer + " " + reason));
        if (!beforeReady && !closeReceived) {
            ctx.fireExceptionCaught(new TransportException(peer + " closed the connection without a WebSocket close frame"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean beforeReady = candidate.refuse("broke the connection before its hello: " + cause.getMessage(), cause);
        if (!beforeReady || candidate.isSender()) {
            ctx.fireExceptionCaught(cause);
        }
    }
}
