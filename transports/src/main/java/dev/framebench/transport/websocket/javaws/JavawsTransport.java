package dev.framebench.transport.websocket.javaws;

import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.websocket.WebSocketOptions;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;

import java.util.List;
import java.util.Map;

/**
 * {@code ws-javaws}: WebSocket (RFC 6455) over loopback TCP with Java-WebSocket (TooTallNate), one binary
 * message per frame, masked from client to server as the RFC requires. The receiver serves
 * {@code ws://HOST:PORT/frames}; its endpoint is {@code HOST:PORT}. Options are the shared
 * {@link WebSocketOptions}, with the meanings ws-netty gives them.
 *
 * <p>Copies per frame, without fragmentation or deflate. Sender: the library copies and masks the frame
 * into a heap buffer byte by byte; the JDK socket stream copies that through a temporary direct buffer;
 * the kernel copies it in. Receiver: the kernel copies out into a temporary direct buffer and NIO into
 * the library's 64 KiB heap read buffer; the library gathers the WebSocket frame into a buffer of its own
 * and unmasks it byte by byte into the message buffer, of which {@code receive} hands out a view.
 * Continuation frames add a copy to join them; deflate adds its own compressing and inflating copies.
 *
 * <p>With a token the sender's first binary message is its 24-byte hello, as on ws-netty ({@link FrameServer}).
 */
public final class JavawsTransport implements Transport {
    static final String NAME = "ws-javaws";
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "WebSocket via Java-WebSocket, one masked binary message per frame; copies and masks into library heap buffers both sides";
    }

    @Override
    public int copiesPerFrame() {
        // With the default options (see the class comment): the sender's library masks into a heap buffer, the socket
        // stream copies that through a temporary direct buffer, the kernel in; the kernel out into a temporary direct
        // buffer, NIO into the library's read buffer, the library gathers the WebSocket frame and unmasks it into the
        // message buffer: 7.
        return 7;
    }

    @Override
    public Map<String, String> options() {
        return WebSocketOptions.help();
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        WebSocketOptions ws = WebSocketOptions.from(options);
        InetAddresses.parse(WebSocketOptions.LISTEN, ws.listen());
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        return JavawsReceiver.open(WebSocketOptions.from(options), options.token());
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        return JavawsSender.connect(endpoint, WebSocketOptions.from(options), options.token());
    }

    /** The extensions both ends offer: permessage-deflate with {@code ws.deflate=true}, else none. */
    static List<IExtension> extensions(WebSocketOptions options) {
        if (!options.deflate()) {
            return List.of();
        }
        PerMessageDeflateExtension deflate = new PerMessageDeflateExtension();
        // Compress every message and fragment however short. The library leaves payloads under 1 KiB plain
        // by default, yet inflates every continuation frame of a compressed message, so a short last
        // fragment left plain would arrive corrupted.
        deflate.setThreshold(0);
        return List.of(deflate);
    }
}
