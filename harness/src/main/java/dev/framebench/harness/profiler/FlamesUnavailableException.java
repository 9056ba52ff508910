package dev.framebench.harness.profiler;

/** A flame graph cannot be made (no profiler here, a failed start or dump); the benchmark itself goes on. */
public final class FlamesUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlamesUnavailableException(String message) {
        super(message);
    }
}
