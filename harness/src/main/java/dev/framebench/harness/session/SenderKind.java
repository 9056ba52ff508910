package dev.framebench.harness.session;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.websocket.WebSocketOptions;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What sends a trial's frames: framebench's own sender JVM ({@code jvm}), or the seed's sender, a page in
 * headless Chromium sending over the browser's own WebSocket ({@code chromium}).
 */
public enum SenderKind {
    JVM("jvm", List.of()),
    CHROMIUM("chromium", List.of("ws-netty", "ws-javaws"));

    private final String kindName;
    /** The transports this kind can drive; empty means every one. */
    private final List<String> transports;

    SenderKind(String kindName, List<String> transports) {
        this.kindName = kindName;
        this.transports = transports;
    }

    public String kindName() {
        return kindName;
    }

    public static SenderKind byName(String name) {
        return Arrays.stream(values()).filter(k -> k.kindName.equals(name)).findFirst()
                .orElseThrow(() -> new BadInputException("unknown sender kind '" + name + "'; valid: " + validNames()));
    }

    public static String validNames() {
        return Arrays.stream(values()).map(SenderKind::kindName).collect(Collectors.joining(", "));
    }

    /** Fails with one line listing the transports this kind can drive when {@code transport} is not one. */
    public void requireDrives(Transport transport) {
        if (!transports.isEmpty() && !transports.contains(transport.name())) {
            throw new BadInputException("sender " + kindName + " cannot drive transport " + transport.name() + "; it drives "
                    + String.join(", ", transports));
        }
        if (this != JVM && transport.singleProcess()) {
            throw new BadInputException("sender " + kindName + " cannot drive " + transport.name() + ", whose sender is a thread of the receiver's JVM");
        }
    }

    /** The transports this kind can be an end of; empty means every one. */
    public List<String> transports() {
        return transports;
    }

    /**
     * Fails with one line when {@code options} ask {@code transport}'s sender for what this kind cannot do: a
     * browser masks every frame (RFC 6455 requires it of clients) and frames its messages itself.
     */
    public void requireSupports(Transport transport, TransportOptions options) {
        if (this != CHROMIUM) {
            return;
        }
        if (!options.getBoolean(WebSocketOptions.MASK, true)) {
            throw new BadInputException("sender chromium cannot send " + WebSocketOptions.MASK + "=false: a browser masks every frame, as RFC 6455"
                    + " requires of clients; drop the option");
        }
        if (options.has(WebSocketOptions.FRAGMENT)) {
            throw new BadInputException("sender chromium cannot apply " + WebSocketOptions.FRAGMENT + "=" + options.get(WebSocketOptions.FRAGMENT, "")
                    + ": the browser frames its messages itself; drop the option");
        }
    }

    @Override
    public String toString() {
        return kindName;
    }
}
