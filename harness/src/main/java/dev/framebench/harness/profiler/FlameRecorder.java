package dev.framebench.harness.profiler;

import one.profiler.AsyncProfiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One JVM's profile of one measurement window: started, paused between iterations, resumed, and at the
 * end written as an interactive HTML flame graph ({@code PREFIX.html}) and collapsed stacks
 * ({@code PREFIX.collapsed}, one {@code frame;frame;...;leaf count} line per distinct stack).
 * The same class serves the receiver (the JMH fork) and the sender peer.
 *
 * <p>Threading: one thread at a time (callers serialise); async-profiler itself is process-wide.
 */
public final class FlameRecorder {
    private final AsyncProfiler profiler;
    private final FlameEvent event;
    private boolean started;
    private boolean running;

    private FlameRecorder(AsyncProfiler profiler, FlameEvent event) {
        this.profiler = profiler;
        this.event = event;
    }

    /** Loads async-profiler and picks the event; fails with one line when it cannot load here. */
    public static FlameRecorder prepare(String requested, boolean perfEventsOff) {
        AsyncProfiler loaded = ProfilerLibrary.orNull();
        if (loaded == null) {
            throw new FlamesUnavailableException(ProfilerLibrary.failure());
        }
        boolean perf = !perfEventsOff && requested.equals("cpu") && ProfilerLibrary.perfEventsAvailable(loaded);
        return new FlameRecorder(loaded, FlameEvent.resolve(requested, perf, perfEventsOff));
    }

    public FlameEvent event() {
        return event;
    }

    /** Starts the window, or resumes it after {@link #pause()}, keeping what was sampled so far. */
    public void resume() {
        if (running) {
            return;
        }
        String action = started ? "resume," : "start,";
        String reply = execute(action + event.arguments());
        if (!reply.startsWith("Profiling started")) {
            throw new FlamesUnavailableException("async-profiler did not start " + event.used() + ": " + reply.trim());
        }
        started = true;
        running = true;
    }

    public void pause() {
        if (running) {
            running = false;
            execute("stop");
        }
    }

    /** Ends the window and writes {@code prefix.html} and {@code prefix.collapsed}; returns the samples taken. */
    public long finish(Path prefix, String title) {
        pause();
        if (!started) {
            throw new FlamesUnavailableException("no profile to write: the window never started");
        }
        Path collapsed = Path.of(prefix + ".collapsed");
        Path html = Path.of(prefix + ".html");
        try {
            Files.createDirectories(collapsed.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new FlamesUnavailableException("cannot create " + collapsed.getParent() + ": " + e.getMessage());
        }
        // async-profiler splits its arguments on commas: a title must not hold one.
        String safeTitle = title.replace(',', ' ');
        execute("dump,collapsed,file=" + collapsed);
        execute("dump,flamegraph,title=" + safeTitle + ",file=" + html);
        if (!Files.isRegularFile(collapsed) || !Files.isRegularFile(html)) {
            throw new FlamesUnavailableException("async-profiler wrote no " + (Files.isRegularFile(html) ? collapsed : html));
        }
        return profiler.getSamples();
    }

    private String execute(String command) {
        try {
            return profiler.execute(command);
        } catch (IOException | RuntimeException e) {
            throw new FlamesUnavailableException("async-profiler '" + command + "' failed: " + e.getMessage());
        }
    }
}
