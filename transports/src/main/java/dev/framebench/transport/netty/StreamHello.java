package dev.framebench.transport.netty;

import dev.framebench.frame.SenderHello;
import dev.framebench.transport.RunToken;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.lang.foreign.MemorySegment;

/**
 * The first 24 bytes of a tcp-netty connection, in front of the {@link FrameStreamDecoder}. With a token
 * they must be the run's {@link SenderHello}: if they are, the connection may {@link SenderCandidate#becomeSender()}
 * and everything after them goes on to the decoder; if not, the connection is refused, unread beyond them.
 * Without a token they are passed on as they are, unless they are a hello, which is dropped: a sender given
 * a token is taken by a receiver given none. Either way this handler then leaves the pipeline.
 *
 * <p>Threading: event loop only.
 */
final class StreamHello extends ChannelInboundHandlerAdapter {
    private final SenderCandidate candidate;
    private ByteBuf hello;

    StreamHello(SenderCandidate candidate) {
        this.candidate = candidate;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        hello = ctx.alloc().heapBuffer(SenderHello.LENGTH, SenderHello.LENGTH);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (hello != null) {
            hello.release();
            hello = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (hello == null) {
            // Decided already (a refusal is closing the channel): nothing more is read.
            in.release();
            return;
        }
        hello.writeBytes(in, Math.min(hello.writableBytes(), in.readableBytes()));
        if (hello.isWritable()) {
            in.release();
            return;
        }
        RunToken token = candidate.token();
        if (token == null) {
            passOn(ctx, SenderHello.isHelloMagic(hello.getIntLE(SenderHello.MAGIC_OFFSET)) ? null : hello.retain(), in);
            return;
        }
        int result = token.check(hello.nioBuffer());
        if (result != SenderHello.HELLO_OK) {
            in.release();
            candidate.refuse(SenderHello.refusal(MemorySegment.ofBuffer(hello.nioBuffer()), result), null);
            ctx.pipeline().remove(this);
            return;
        }
        if (!candidate.becomeSender()) {
            in.release();
            ctx.pipeline().remove(this);
            return;
        }
        // From here on the socket is read only when the receiving thread asks for a frame.
        ctx.channel().config().setAutoRead(false);
        passOn(ctx, null, in);
        candidate.ready();
    }

    /** Hands {@code first} (if any) and then the rest of {@code in} to the decoder, and leaves the pipeline. */
    private void passOn(ChannelHandlerContext ctx, ByteBuf first, ByteBuf in) {
        ctx.pipeline().remove(this);
        if (first != null) {
            ctx.fireChannelRead(first);
        }
        if (in.isReadable()) {
            ctx.fireChannelRead(in);
        } else {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        int got = hello.readableBytes();
        if (candidate.token() != null) {
            candidate.refuse("closed the connection after " + got + " of the " + SenderHello.LENGTH + " bytes of a hello", null);
        } else if (got > 0) {
            // Fewer bytes than a hello: part of a frame header, which the decoder reports as cut short.
            ctx.fireChannelRead(hello.retain());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!candidate.refuse("broke the connection before its hello: " + cause, cause) || candidate.isSender()) {
            ctx.fireExceptionCaught(cause);
        }
    }
}
