package dev.framebench.transport.websocket.javaws;

import org.java_websocket.framing.CloseFrame;

/** How a WebSocket connection ended, in one phrase for error messages: the RFC 6455 close code and reason. */
final class CloseCodes {
    private CloseCodes() {
    }

    /** {@code code=1006 (no close frame: the connection dropped) reason=...}. */
    static String describe(int code, String reason) {
        String meaning = switch (code) {
            case CloseFrame.NORMAL -> " (normal)";
            case CloseFrame.GOING_AWAY -> " (going away)";
            case CloseFrame.PROTOCOL_ERROR -> " (protocol error)";
            case CloseFrame.REFUSE -> " (unacceptable data)";
            case CloseFrame.ABNORMAL_CLOSE -> " (no close frame: the connection dropped)";
            case CloseFrame.TOOBIG -> " (message too big)";
            default -> "";
        };
        return "code=" + code + meaning + (reason == null || reason.isEmpty() ? "" : " reason=" + reason);
    }
}
