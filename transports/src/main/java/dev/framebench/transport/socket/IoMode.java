package dev.framebench.transport.socket;

import java.util.List;
import java.util.Locale;

/**
 * How a socket transport waits. {@code selector}: a non-blocking channel that reads or writes until it
 * would block, then parks in epoll until ready or the deadline. {@code blocking}: a blocking channel
 * whose deadline a watchdog enforces by closing it.
 */
public enum IoMode {
    SELECTOR,
    BLOCKING;

    public static final List<String> NAMES = List.of("selector", "blocking");

    public String modeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IoMode byName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
