package dev.framebench.harness.jmh;

import dev.framebench.harness.util.CpuAffinity;
import dev.framebench.harness.util.CpuPinning;

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
        return args(timeoutSeconds, CpuPinning.none());
    }

    /** With the run's CPU pinning, resolved by the command, for the fork to apply ({@link #pinReceiver()}) and pass on to its senders. */
    public static List<String> args(long timeoutSeconds, CpuPinning pinning) {
        List<String> args = new java.util.ArrayList<>(List.of(HEAP_MIN, HEAP_MAX, NATIVE_ACCESS, AGRONA_UNSAFE, "-Dframebench.timeoutSeconds=" + timeoutSeconds));
        if (pinning.pinned()) {
            args.add("-D" + CpuPinning.PROPERTY + "=" + pinning.toProperty());
        }
        if (Runtime.version().feature() >= 24) {
            // JMH 1.37 reads fields through sun.misc.Unsafe; JDK 24+ warns on every fork unless allowed.
            args.add("--sun-misc-unsafe-memory-access=allow");
        }
        return args;
    }

    /**
     * Pins this fork, the receiver JVM, to the receiver's CPUs when the run pins: every thread it has at the
     * trial's start (JMH's worker among them); the sender side reads the same property (a sender peer is
     * launched with it, an in-process sender thread pins itself).
     */
    static void pinReceiver() {
        CpuPinning pinning = CpuPinning.fromProperty();
        if (pinning.pinned()) {
            long pid = ProcessHandle.current().pid();
            CpuAffinity.pinProcess(pid, pinning.receiver());
            // Into jmh.log: the kernel's word, not ours.
            System.out.println("[framebench] receiver JVM pid " + pid + " pinned: Cpus_allowed_list " + CpuAffinity.allowedList(pid));
        }
    }
}
