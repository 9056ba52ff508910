package dev.framebench.transport.netty;

import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.websocket.WebSocketOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ws-netty}: Netty 4.2's WebSocket client and server codecs over TCP, one binary message per frame at
 * {@link WebSocketOptions#PATH}, with the options both WebSocket transports share ({@code ws.mask},
 * {@code ws.deflate}, {@code ws.fragment}) and {@code netty.transport}.
 *
 * <p>Copies per frame beyond the kernel's: the sender writes the caller's frame as it is with
 * {@code ws.mask=false}, and masks it into a new buffer (one copy) otherwise. The receiver's frame decoder
 * gathers each message in its cumulation buffer (one copy, plus more while that buffer grows), unmasks it in
 * place and hands out a view of it; a fragmented message is copied once more to make it contiguous.
 *
 * <p>With a token the sender's first binary message, after the handshake, is its 24-byte hello
 * ({@link WebSocketMessages}): a message, not a header, so that a browser's {@code WebSocket} can send it.
 */
public final class WsNettyTransport implements Transport {
    static final String NAME = "ws-netty";
    /**
     * The HTTP aggregators' limit: the handshake's request and response are the only HTTP messages, and
     * Netty takes the HTTP codecs out of the pipeline once it is done, so frames never meet this limit.
     */
    static final int HANDSHAKE_MESSAGE_BYTES = 64 * 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Netty 4.2 WebSocket codecs over TCP, one binary message per frame; copies user->kernel->user, plus masking and Netty's cumulation";
    }

    @Override
    public int copiesPerFrame() {
        // With the default options (ws.mask=true, no fragments, no deflate): the sender masks the frame into a new
        // buffer, the kernel copies it in and out into Netty's read buffer, the decoder gathers the message in its
        // cumulation buffer (unmasked there in place): 4. ws.mask=false saves the first; fragments and deflate add
        // more.
        return 4;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>(WebSocketOptions.help());
        options.put(NettyIo.OPTION, NettyIo.HELP);
        return options;
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        WebSocketOptions ws = WebSocketOptions.from(options);
        NettyIo.from(options);
        InetAddresses.parse(WebSocketOptions.LISTEN, ws.listen());
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        WebSocketOptions ws = WebSocketOptions.from(options);
        NettyIo io = NettyIo.from(options);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(WebSocketOptions.MASK, Boolean.toString(ws.mask()));
        settings.put(WebSocketOptions.DEFLATE, Boolean.toString(ws.deflate()));
        return NettyFrameReceiver.open(NAME, io, InetAddresses.parse(WebSocketOptions.LISTEN, ws.listen()),
                (connection, candidate) -> initReceiver(connection, candidate, ws), settings, options.token());
    }

    /**
     * The receiver's pipeline. autoRead stays on for the handshake, and {@link WebSocketMessages} turns it off
     * once frames may flow. Netty's limits default to 64 KiB per frame: every limit a frame passes is raised to
     * {@link WebSocketOptions#MAX_MESSAGE_BYTES}, above the largest preset.
     */
    private static void initReceiver(Channel connection, SenderCandidate candidate, WebSocketOptions ws) {
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WebSocketOptions.PATH)
                // WebSocketMessages answers close frames itself, to tell a clean close from a dropped connection.
                .handleCloseFrames(false)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(WebSocketOptions.MAX_MESSAGE_BYTES)
                        .expectMaskedFrames(ws.mask())
                        .allowExtensions(ws.deflate())
                        .build())
                .build();
        ChannelPipeline pipeline = connection.pipeline();
        pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(HANDSHAKE_MESSAGE_BYTES));
        if (ws.deflate()) {
            pipeline.addLast(new WebSocketServerCompressionHandler(WebSocketOptions.MAX_MESSAGE_BYTES));
        }
        pipeline.addLast(new WebSocketServerProtocolHandler(protocol),
                // Reassembles a fragmented message; a whole one passes untouched.
                new WebSocketFrameAggregator(WebSocketOptions.MAX_MESSAGE_BYTES),
                new WebSocketMessages(candidate));
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        WebSocketOptions ws = WebSocketOptions.from(options);
        URI uri = URI.create("ws://" + InetAddresses.format(InetAddresses.parse("endpoint", endpoint)) + WebSocketOptions.PATH);
        return NettyFrameSender.open(NAME, NettyIo.from(options), endpoint, new WebSocketFraming(ws, uri), options.token());
    }
}
