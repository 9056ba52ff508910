package dev.framebench.harness.session;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;

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

    /** The transports this kind can be an end of; empty means every one. */
    public List<String> transports() {
        return transports;
    }

    @Override
    public String toString() {
        return kindName;
    }
}
