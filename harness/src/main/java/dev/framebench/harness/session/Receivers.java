package dev.framebench.harness.session;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the receiver JVM takes in N paced streams. */
public enum Receivers {
    /** One transport receiver (its own connection or ring) and one receiving thread per stream. */
    PER_STREAM,
    /**
     * Fan-in: one receiver, one receiving thread, one ring that every stream's sender writes into (many
     * producers, one consumer), as the meeting-bot ring did. Only transports whose {@link Transport#fanIn()} holds.
     */
    FAN_IN;

    public String receiversName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Receivers byName(String name) {
        for (Receivers r : values()) {
            if (r.receiversName().equals(name)) {
                return r;
            }
        }
        throw new BadInputException("unknown receivers '" + name + "'; valid: " + validNames());
    }

    public static String validNames() {
        return Arrays.stream(values()).map(Receivers::receiversName).collect(Collectors.joining(", "));
    }

    /** Fails with one line when {@code transport} cannot take this many senders into one receiver. */
    public void requireSupportedBy(Transport transport) {
        if (this == FAN_IN && !transport.fanIn()) {
            throw new BadInputException(transport.name() + " has one sender per receiver, so receivers=fan-in does not apply; use a many-producer"
                    + " transport (shm-agrona-mpsc) or receivers=per-stream");
        }
    }

    @Override
    public String toString() {
        return receiversName();
    }
}
