package dev.framebench.harness.jmh;

import dev.framebench.harness.profiler.FlameSettings;
import dev.framebench.harness.session.FrameSession;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Flame graphs of both JVMs of {@code FrameThroughputBenchmark} with async-profiler, over its measurement
 * iterations only: sampling starts as the first begins, pauses between iterations and ends when the
 * trial is torn down. Files go to {@code dir} (see {@link FlameWindow}); every measurement iteration of
 * a profiled trial carries the secondary metric {@code flames.profiled} = 1, so its figures are never
 * mistaken for an unprofiled run's.
 *
 * <p>Init line: {@code dir=PATH;event=cpu|itimer|ctimer|wall|alloc|lock;perfEvents=auto|off}
 * ({@link FlameSettings}). {@code scripts/bench.sh --flames} adds it; with plain JMH:
 * {@code -prof 'dev.framebench.harness.jmh.FlameGraphProfiler:dir=flames;event=cpu'}.
 *
 * <p>Threading: JMH creates it in the fork and calls it on its runner thread at iteration edges; the
 * benchmark thread attaches the trial's session and closes it.
 */
public final class FlameGraphProfiler implements InternalProfiler {
    /** Closes the summary of a profiled run: its figures carry the profiler's cost. */
    public static final String SUMMARY_NOTE = System.lineSeparator()
            + "PROFILED RUN (--flames): async-profiler sampled both JVMs during the measurement iterations, so these figures"
            + System.lineSeparator() + "carry its cost and are not for publishing; flame graphs and hot frames are in flames/."
            + System.lineSeparator();

    private static FlameGraphProfiler current;

    /** The run's summary tail: the note above and every benchmark's hot-frames tables from {@code flamesDir}. */
    public static String summaryNote(Path flamesDir) {
        StringBuilder note = new StringBuilder(SUMMARY_NOTE);
        try (var files = Files.list(flamesDir)) {
            // In the order the benchmarks ran, as in the table above.
            List<Path> tables = files.filter(f -> f.getFileName().toString().endsWith(FlameWindow.HOT_TEXT))
                    .sorted(Comparator.comparing(FlameGraphProfiler::modified).thenComparing(Path::toString)).toList();
            for (Path table : tables) {
                note.append(System.lineSeparator()).append(Files.readString(table));
            }
        } catch (IOException e) {
            note.append("(no hot frames: ").append(e.getMessage()).append(")").append(System.lineSeparator());
        }
        return note.toString();
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private final FlameSettings settings;
    private FlameWindow window;
    private boolean measuring;
    private int measurementIterations;

    public FlameGraphProfiler(String initLine) {
        settings = FlameSettings.parse(initLine);
        synchronized (FlameGraphProfiler.class) {
            current = this;
        }
    }

    /**
     * The trial's session is open: load the profiler on both sides now, during set-up, so loading it
     * (and the deoptimisation an agent may cause) falls into warm-up, not into the window.
     */
    public static void attach(FrameSession session) {
        FlameGraphProfiler profiler;
        synchronized (FlameGraphProfiler.class) {
            profiler = current;
        }
        if (profiler != null) {
            profiler.sessionOpened(session);
        }
    }

    private synchronized void sessionOpened(FrameSession session) {
        FlameWindow opened = FlameWindow.open(settings, session);
        window = opened;
        session.beforeClose(opened::finish);
        if (measuring) {
            // No warm-up: the session opened inside the first measurement iteration.
            opened.resume();
        }
    }

    @Override
    public String getDescription() {
        return "framebench: async-profiler flame graphs of receiver and sender JVMs over the measurement iterations";
    }

    @Override
    public synchronized void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        measuring = iterationParams.getType() == IterationType.MEASUREMENT;
        if (measuring && window != null) {
            window.resume();
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result type.
    public synchronized Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                                   IterationResult result) {
        if (iterationParams.getType() != IterationType.MEASUREMENT || window == null || !window.profiling()) {
            return List.of();
        }
        measurementIterations++;
        if (measurementIterations < iterationParams.getCount()) {
            window.pause();
        } else {
            // Normally done already: the trial's tear-down closes the session before this runs.
            window.finish();
        }
        return List.of(new ScalarResult("flames.profiled", 1, "flag", AggregationPolicy.MAX));
    }
}
