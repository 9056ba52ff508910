package dev.framebench.harness.peer;

import dev.framebench.error.BadInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the senders of N paced streams live. The receiver is always one JVM (the JMH fork) with one
 * transport receiver (its own connection or ring) and one receiving thread per stream.
 */
public enum Topology {
    /** One sender JVM, one sender thread per stream: a process shared by every stream. */
    THREAD_PER_STREAM,
    /** One sender JVM per stream: each stream pays its own JVM's base CPU and memory, as a process per room does. */
    PROCESS_PER_STREAM;

    public String topologyName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Topology byName(String name) {
        for (Topology t : values()) {
            if (t.topologyName().equals(name)) {
                return t;
            }
        }
        throw new BadInputException("unknown topology '" + name + "'; valid topologies: " + validNames());
    }

    public static String validNames() {
        return Arrays.stream(values()).map(Topology::topologyName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return topologyName();
    }
}
