package dev.framebench.harness.jmh;

import java.util.List;

/** JVM options of every JMH fork (the receiver JVM); one place, used by the annotations and the command line. */
public final class ForkJvm {
    /** Room for the frame pool and receive buffers of the largest preset, sized up front so GC does not resize mid-run. */
    public static final String HEAP_MIN = "-Xms1g";
    public static final String HEAP_MAX = "-Xmx2g";
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Agrona 2 (and Aeron on it) reaches jdk.internal.misc.Unsafe; without this it fails with IllegalAccessError. */
    public static final String AGRONA_UNSAFE = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";

    private ForkJvm() {
    }

    public static List<String> args(long timeoutSeconds) {
        List<String> args = new java.util.ArrayList<>(List.of(HEAP_MIN, HEAP_MAX, NATIVE_ACCESS, AGRONA_UNSAFE, "-Dframebench.timeoutSeconds=" + timeoutSeconds));
        if (Runtime.version().feature() >= 24) {
            // JMH 1.37 reads fields through sun.misc.Unsafe; JDK 24+ warns on every fork unless allowed.
            args.add("--sun-misc-unsafe-memory-access=allow");
        }
        return args;
    }
}
