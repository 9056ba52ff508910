package dev.framebench.harness.results;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;

import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How many times each transport copies a frame ({@link Transport#copiesPerFrame()}), asked of the registry at
 * report time: a results folder records transport names, and what a transport copies is its code's, not the
 * run's. A transport not on this class path (a jar given to the run with {@code --with-jar}) is unknown.
 */
public final class TransportCopies {
    private TransportCopies() {
    }

    /** The copies per frame of {@code transport}, or empty when no transport of that name is on the class path. */
    public static OptionalInt of(String transport) {
        Transport known = known().get(transport);
        return known == null ? OptionalInt.empty() : OptionalInt.of(known.copiesPerFrame());
    }

    private static Map<String, Transport> known() {
        try {
            return TransportRegistry.all().stream().collect(Collectors.toMap(Transport::name, Function.identity(), (a, b) -> a));
        } catch (RuntimeException brokenClassPath) {
            // A report of a finished run still reads without its limits.
            return Map.of();
        }
    }
}
