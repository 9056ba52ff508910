package dev.framebench.harness.results;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;

import java.util.OptionalInt;

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
        try {
            return OptionalInt.of(TransportRegistry.byName(transport).copiesPerFrame());
        } catch (RuntimeException unknownOrBrokenClassPath) {
            // An unknown name, or a class path whose providers do not load: a finished run's report still reads, without limits.
            return OptionalInt.empty();
        }
    }
}
