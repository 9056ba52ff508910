package dev.framebench.harness.accounting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Busy CPU time of the whole machine from {@code /proc/stat}: user, nice, system, irq and softirq over all
 * cores. It catches what no process is charged for (softirq work of loopback networking, kernel threads);
 * idle, iowait and steal are not busy time of this guest.
 */
public final class MachineCpu {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    private MachineCpu() {
    }

    /** Busy nanoseconds summed over all cores since boot, or -1 where /proc/stat is unreadable. */
    public static long busyNanos() {
        try {
            for (String line : Files.readAllLines(PROC_STAT)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long user = Long.parseLong(f[1]);
                    long nice = Long.parseLong(f[2]);
                    long system = Long.parseLong(f[3]);
                    long irq = f.length > 6 ? Long.parseLong(f[6]) : 0;
                    long softirq = f.length > 7 ? Long.parseLong(f[7]) : 0;
                    return (user + nice + system + irq + softirq) * ClockTicks.nanosPerTick();
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
