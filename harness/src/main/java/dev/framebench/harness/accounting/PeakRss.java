package dev.framebench.harness.accounting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident set size ({@code VmHWM} of /proc/&lt;pid&gt;/status). */
public final class PeakRss {
    private PeakRss() {
    }

    /** Peak RSS in bytes, or -1 when the process is gone or the kernel does not say. */
    public static long bytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
