package dev.framebench.harness.profiler;

import one.profiler.AsyncProfiler;

/**
 * async-profiler's native library in this JVM, loaded once from the jar it ships in
 * ({@code tools.profiler:async-profiler}, which extracts {@code linux-x64/} or {@code linux-arm64/}
 * {@code libasyncProfiler.so} and deletes the copy once loaded). Where it cannot load (another OS, musl
 * instead of glibc, a JVM that is not HotSpot) the reason is kept, so a run can say it in one line and go on.
 *
 * <p>Threading: any thread; the first call loads.
 */
public final class ProfilerLibrary {
    private static AsyncProfiler profiler;
    private static String failure;
    private static boolean tried;

    private ProfilerLibrary() {
    }

    /** The loaded profiler, or null when it cannot load here ({@link #failure()} says why). */
    public static synchronized AsyncProfiler orNull() {
        if (!tried) {
            tried = true;
            try {
                profiler = AsyncProfiler.getInstance();
                profiler.getVersion();
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                // UnsatisfiedLinkError: wrong libc or a missing library; UnsupportedOperationException: no build for this OS/CPU.
                profiler = null;
                failure = "async-profiler cannot load on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                        + " (" + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ') + ")";
            }
        }
        return profiler;
    }

    /** Why {@link #orNull()} returned null; null when it loaded. */
    public static synchronized String failure() {
        orNull();
        return failure;
    }

    /** async-profiler's own test of whether {@code cpu} can use perf_events here: {@code list} shows them only then. */
    static boolean perfEventsAvailable(AsyncProfiler loaded) {
        try {
            return loaded.execute("list").contains("Perf events:");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
