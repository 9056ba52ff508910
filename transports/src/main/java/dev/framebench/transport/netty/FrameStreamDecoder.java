package dev.framebench.transport.netty;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FrameVerificationException;
import dev.framebench.frame.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a stream of frames sent back to back (docs/WIRE.md: a 64-byte header, then {@code payloadLength}
 * bytes) into whole frames, each passed on as one contiguous direct {@link ByteBuf} that its taker
 * releases.
 *
 * <p>Each byte is copied once, from Netty's read buffer into a frame buffer of the frame's exact size,
 * chosen as soon as the header is in. Not a {@code ByteToMessageDecoder}: its cumulation buffer grows by
 * doubling and copies what it holds at every step, which for multi-megabyte frames is about one more copy
 * of every frame. Frame buffers are recycled rather than allocated per frame (a multi-megabyte direct buffer
 * is not pooled by Netty's default allocator and would cost page faults every frame): the decoder keeps one
 * reference to each and passes on another, so {@code refCnt() == 1} means its taker has released it.
 *
 * <p>Each header passes {@link Framing#checkHeader}, read where it lies in the header buffer, before the
 * payload is read, since a stream that lost its framing cannot be trusted for a single further byte.
 *
 * <p>Threading: event loop only; takers release on any thread.
 */
final class FrameStreamDecoder extends ChannelInboundHandlerAdapter {
    private final String peer;
    private final List<ByteBuf> frameBuffers = new ArrayList<>();
    private ByteBuf header;
    private ByteBuf frame;
    private boolean broken;

    FrameStreamDecoder(String peer) {
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        header = ctx.alloc().directBuffer(FrameHeader.LENGTH, FrameHeader.LENGTH);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        header.release();
        frameBuffers.forEach(ByteBuf::release);
        frameBuffers.clear();
        frame = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable() && !broken) {
                if (frame == null) {
                    header.writeBytes(in, Math.min(header.writableBytes(), in.readableBytes()));
                    if (header.isWritable()) {
                        return;
                    }
                    frame = startFrame(ctx);
                }
                frame.writeBytes(in, Math.min(frame.writableBytes(), in.readableBytes()));
                if (!frame.isWritable()) {
                    ByteBuf whole = frame.retain();
                    frame = null;
                    ctx.fireChannelRead(whole);
                }
            }
        } finally {
            in.release();
        }
    }

    private ByteBuf startFrame(ChannelHandlerContext ctx) {
        int payloadLength;
        try {
            payloadLength = Framing.checkHeader(header.getIntLE(FrameHeader.MAGIC_OFFSET), header.getIntLE(FrameHeader.PAYLOAD_LENGTH_OFFSET),
                    header.getIntLE(FrameHeader.STREAM_ID_OFFSET), header.getLongLE(FrameHeader.SEQUENCE_OFFSET));
        } catch (FrameVerificationException e) {
            // Nothing after a bad header can be framed: the rest of the stream is dropped, unread.
            broken = true;
            throw e;
        }
        ByteBuf buffer = frameBuffer(ctx, FrameHeader.LENGTH + payloadLength);
        buffer.writeBytes(header);
        header.clear();
        return buffer;
    }

    /** A released frame buffer of exactly {@code frameBytes}, or a new one; buffers of another size are dropped. */
    private ByteBuf frameBuffer(ChannelHandlerContext ctx, int frameBytes) {
        for (int i = frameBuffers.size() - 1; i >= 0; i--) {
            ByteBuf candidate = frameBuffers.get(i);
            if (candidate.refCnt() == 1) {
                if (candidate.capacity() == frameBytes) {
                    return candidate.clear();
                }
                frameBuffers.remove(i).release();
            }
        }
        ByteBuf fresh = ctx.alloc().directBuffer(frameBytes, frameBytes);
        frameBuffers.add(fresh);
        return fresh;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        int got = frame != null ? frame.writerIndex() : header.writerIndex();
        if (got > 0 && !broken) {
            int wanted = frame != null ? frame.capacity() : FrameHeader.LENGTH;
            ctx.fireExceptionCaught(new TransportException(peer + " closed the connection mid-frame: got " + got + " of " + wanted + " bytes of a frame"));
        }
        ctx.fireChannelInactive();
    }
}
