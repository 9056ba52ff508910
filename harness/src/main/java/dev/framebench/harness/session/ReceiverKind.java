package dev.framebench.harness.session;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.websocket.WebSocketOptions;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What receives a trial's frames: the JMH fork itself ({@code jvm}), or the seed's receiver, a Python
 * {@code websockets} process ({@code python}) whose received frames the fork counts as its operations.
 */
public enum ReceiverKind {
    JVM("jvm", List.of()),
    PYTHON("python", List.of("ws-netty", "ws-javaws"));

    private final String kindName;
    /** The transports whose senders this kind can receive from; empty means every one. */
    private final List<String> transports;

    ReceiverKind(String kindName, List<String> transports) {
        this.kindName = kindName;
        this.transports = transports;
    }

    public String kindName() {
        return kindName;
    }

    public static ReceiverKind byName(String name) {
        return Arrays.stream(values()).filter(k -> k.kindName.equals(name)).findFirst()
                .orElseThrow(() -> new BadInputException("unknown receiver kind '" + name + "'; valid: " + validNames()));
    }

    public static String validNames() {
        return Arrays.stream(values()).map(ReceiverKind::kindName).collect(Collectors.joining(", "));
    }

    /** Fails with one line listing the transports this kind receives when {@code transport} is not one. */
    public void requireReceives(Transport transport) {
        if (!transports.isEmpty() && !transports.contains(transport.name())) {
            throw new BadInputException("receiver " + kindName + " cannot receive transport " + transport.name() + "; it receives "
                    + String.join(", ", transports));
        }
    }

    /**
     * Fails with one line when {@code options} ask {@code transport} for what this kind cannot do: the Python
     * receiver speaks RFC 6455 as {@code websockets} does, on loopback, so it refuses the non-RFC unmasked
     * frames, declines compression, and listens where it chooses.
     */
    public void requireSupports(Transport transport, TransportOptions options) {
        if (this != PYTHON) {
            return;
        }
        WebSocketOptions ws = WebSocketOptions.from(options);
        String unsupported = !ws.mask() ? WebSocketOptions.MASK + "=false (websockets requires masked client frames)"
                : ws.deflate() ? WebSocketOptions.DEFLATE + "=true (the python receiver declines compression)"
                : options.has(WebSocketOptions.LISTEN) ? WebSocketOptions.LISTEN + "=" + ws.listen() + " (it listens on 127.0.0.1, on a free port)"
                : null;
        if (unsupported != null) {
            throw new BadInputException("receiver python cannot take " + transport.name() + " option " + unsupported
                    + "; drop the option or use --receiver jvm");
        }
    }

    /** The transports this kind can be an end of; empty means every one. */
    public List<String> transports() {
        return transports;
    }

    @Override
    public String toString() {
        return kindName;
    }
}
