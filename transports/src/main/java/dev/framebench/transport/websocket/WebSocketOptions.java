package dev.framebench.transport.websocket;

import dev.framebench.frame.FramePreset;
import dev.framebench.transport.TransportOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options both WebSocket transports read, with one meaning each, so that ws-javaws and ws-netty are
 * measured on the same terms.
 *
 * @param listen           receiver address HOST:PORT; 127.0.0.1:0 unless told otherwise
 * @param fragmentBytes    split each frame's message into continuation frames of at most this many payload
 *                         bytes; 0 = one WebSocket frame per message (Chromium splits at 131,072)
 * @param mask             client-to-server masking as RFC 6455 requires; false is non-RFC, both ends agree
 * @param deflate          permessage-deflate (RFC 7692), which browsers and popular clients negotiate by default
 */
public record WebSocketOptions(String listen, int fragmentBytes, boolean mask, boolean deflate) {
    public static final String LISTEN = "listen";
    public static final String FRAGMENT = "ws.fragment";
    public static final String MASK = "ws.mask";
    public static final String DEFLATE = "ws.deflate";
    /** The path a framebench WebSocket receiver serves. */
    public static final String PATH = "/frames";
    /** Message size limit both ends configure: above the largest preset, with room for a header. */
    public static final int MAX_MESSAGE_BYTES = 2 * FramePreset.maxFrameBytes();

    public static Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put(LISTEN, "receiver address HOST:PORT (default 127.0.0.1:0, a free loopback port)");
        help.put(FRAGMENT, "BYTES >= 1: split each message into continuation frames of this size (default: no split; Chromium uses 131072)");
        help.put(MASK, "true | false: RFC 6455 client masking (default true; false is non-RFC, both ends agree)");
        help.put(DEFLATE, "true | false: permessage-deflate compression (default false)");
        return help;
    }

    public static WebSocketOptions from(TransportOptions options) {
        int fragment = options.has(FRAGMENT) ? options.getInt(FRAGMENT, 0, 1, MAX_MESSAGE_BYTES) : 0;
        return new WebSocketOptions(options.get(LISTEN, "127.0.0.1:0"), fragment,
                options.getBoolean(MASK, true), options.getBoolean(DEFLATE, false));
    }
}
