package dev.framebench.transport.netty;

import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.InetAddresses;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tcp-netty}: Netty 4.2 over TCP, with the bytes on the wire exactly as {@code tcp} sends them
 * (header and payload back to back, nothing around them), so either end interoperates with the other's.
 * Native epoll where it loads, NIO otherwise ({@code netty.transport}); TCP_NODELAY on both ends. The
 * sender writes straight from the caller's frame; the receiver copies each frame once, from Netty's read
 * buffers into the frame buffer it hands out. With a token, the sender's first 24 bytes are its hello, as
 * on tcp ({@link StreamHello}).
 */
public final class TcpNettyTransport implements Transport {
    static final String NAME = "tcp-netty";
    static final String LISTEN = "listen";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Netty 4.2 TCP (native epoll, else NIO), TCP_NODELAY, bytes as tcp's; copies user->kernel->user, plus one on the receiver";
    }

    @Override
    public int copiesPerFrame() {
        // The sender wraps the pooled frame without copying it; the kernel copies it in, and out into Netty's read
        // buffer; FrameStreamDecoder copies it once more into a frame buffer of the frame's size, of which receive
        // hands out a view: 3.
        return 3;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(LISTEN, "receiver address HOST:PORT (default 127.0.0.1:0, a free loopback port)");
        options.put(NettyIo.OPTION, NettyIo.HELP);
        return options;
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        NettyIo.from(options);
        InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0"));
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        NettyIo io = NettyIo.from(options);
        return NettyFrameReceiver.open(NAME, io, InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0")),
                (connection, candidate) -> {
                    connection.pipeline().addLast(new StreamHello(candidate), new FrameStreamDecoder(candidate.peer()));
                    if (candidate.token() == null) {
                        // The first connection is the sender, read on demand from the start.
                        connection.config().setAutoRead(false);
                        candidate.ready();
                    }
                }, Map.of(), options.token());
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        return NettyFrameSender.open(NAME, NettyIo.from(options), endpoint,
                (channel, frame, written) -> channel.writeAndFlush(frame, written), options.token());
    }
}
