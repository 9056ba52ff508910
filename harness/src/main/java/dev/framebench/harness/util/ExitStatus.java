package dev.framebench.harness.util;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * framebench's exit statuses, one meaning each, and how any process ended, in words, from its exit status
 * as a parent sees it (128 + N: killed by signal N).
 */
public final class ExitStatus {
    /** Every result written. */
    public static final int OK = 0;
    /** The run failed; nothing was written. */
    public static final int FAILED = 1;
    /** Bad input: one line says what and how to fix it; nothing was written. */
    public static final int BAD_INPUT = 2;
    /** Every figure written, but the flame graphs asked for could not be made (the profiler did not load). */
    public static final int WITHOUT_FLAMES = 3;
    /** A sender peer whose receiver went away (its control channel closed or its parent died). */
    public static final int ORPHANED = 4;

    private ExitStatus() {
    }

    /** How {@code process} ended ({@link #describe}), waiting up to {@code waitMillis}; empty while it still runs. */
    public static Optional<String> of(Process process, long waitMillis) {
        try {
            if (!process.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("is in an unknown state");
        }
        return Optional.of(describe(process.exitValue()));
    }

    /** "exited with status 1", "was killed by signal 9 (SIGKILL)". */
    public static String describe(int status) {
        if (status > 128 && status < 160) {
            int signal = status - 128;
            return "was killed by signal " + signal + signalName(signal);
        }
        return "exited with status " + status;
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 9 -> " (SIGKILL)";
            case 15 -> " (SIGTERM)";
            case 6 -> " (SIGABRT)";
            case 11 -> " (SIGSEGV)";
            case 2 -> " (SIGINT)";
            default -> "";
        };
    }
}
