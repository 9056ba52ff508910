package dev.framebench.harness.faults;

/** How a process ended, in words, from its exit status as a parent sees it (128 + N: killed by signal N). */
public final class ExitStatus {
    private ExitStatus() {
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
