package dev.framebench.harness.jmh;

import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.session.WindowSample;
import dev.framebench.harness.session.PacedSession;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Adds paced mode's metrics to every measurement iteration of {@link PacedStreamsBenchmark}, so they land
 * in JMH's JSON beside the score (frames/s over all streams):
 * <ul>
 *   <li>{@code latency.p50.us}, {@code latency.p90.us}, {@code latency.p99.us}, {@code latency.p999.us},
 *       {@code latency.max.us}: receive time minus <em>intended</em> send time, over every frame of every
 *       stream; merged across iterations as histograms ({@link LatencyResult}), not averaged;</li>
 *   <li>{@code fps.target}, {@code fps.achieved}: frames per second of one stream, asked and received;</li>
 *   <li>{@code frames.late} (latency above one frame interval), {@code frames.dropped} (never arrived):
 *       totals over the measurement;</li>
 *   <li>{@code cores.sender}, {@code cores.receiver}, {@code cores.machine}: CPU seconds per wall second of
 *       every sender JVM together, of the receiver JVM, and of the whole machine; {@code cores.perStream}:
 *       (sender + receiver) / streams. A receiver that busy-spins shows {@code cores.receiver} near 1.0 a
 *       spinning thread whatever the frame rate;</li>
 *   <li>{@code gbps}, {@code cpu.sender.sPerGB}, {@code cpu.receiver.sPerGB}, {@code cpu.total.sPerGB}: as in
 *       saturation runs, per 10^9 bytes received;</li>
 *   <li>{@code rss.sender.MB} (peak RSS summed over the sender JVMs: one, or one per stream),
 *       {@code rss.receiver.MB}, and {@code senders.processes}.</li>
 * </ul>
 * With the option {@code hgrmDir} ({@code -prof dev.framebench.harness.jmh.PacedMetricsProfiler:hgrmDir=DIR})
 * it also writes the measurement's whole latency histogram as {@code DIR/<transport>_<frame>_<topology>_<streams>[_fan-in][_<options>].hgrm} (HdrHistogram's
 * percentile distribution, in microseconds) after the last measurement iteration.
 *
 * <p>Threading: JMH calls it on its runner thread at iteration boundaries.
 */
public final class PacedMetricsProfiler implements InternalProfiler {
    /** Profiler option naming the folder for .hgrm files; without it, none are written. */
    public static final String HGRM_DIR = "hgrmDir";

    private static volatile PacedSession session;
    private static volatile boolean active;
    private static volatile boolean warned;

    private PacedSession measured;
    private WindowSample start;
    private boolean measuring;
    /** The session attached when the iteration began (null, or a closed one of an earlier trial). */
    private PacedSession seenBefore;
    private final String hgrmDir;
    private PacedSession windowSession;
    private Histogram window;
    private int measurementIterations;

    public PacedMetricsProfiler() {
        this("");
    }

    /** JMH passes what follows the profiler's name after ':' ({@code hgrmDir=DIR}). */
    public PacedMetricsProfiler(String initLine) {
        String line = initLine == null ? "" : initLine.trim();
        if (!line.isEmpty() && !line.startsWith(HGRM_DIR + "=")) {
            throw new IllegalArgumentException("unknown PacedMetricsProfiler option '" + line + "'; valid: " + HGRM_DIR + "=DIR");
        }
        this.hgrmDir = line.isEmpty() ? "" : line.substring(HGRM_DIR.length() + 1);
    }

    static void attach(PacedSession current) {
        session = current;
    }

    static void warnIfAbsent() {
        if (!active && !warned) {
            warned = true;
            System.err.println("framebench: no latency/cores/rss metrics: add -prof " + PacedMetricsProfiler.class.getName()
                    + " (scripts/paced.sh does)");
        }
    }

    @Override
    public String getDescription() {
        return "framebench paced mode: latency percentiles, achieved fps, late and dropped frames, cores per process and per stream, RSS";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        active = true;
        start = null;
        measured = null;
        measuring = iterationParams.getType() == IterationType.MEASUREMENT;
        PacedSession current = session;
        seenBefore = current;
        if (!measuring || current == null || current.isClosed()) {
            // Without warm-up, JMH opens the trial inside the first measured iteration, after this call:
            // that window then starts when the session's schedules began (see afterIteration).
            return;
        }
        measured = current;
        startWindow();
        // Discards what warm-up (or the previous iteration's boundary) recorded: the window starts now.
        measured.intervalHistogram();
        start = measured.sample();
    }

    private void startWindow() {
        if (measured != windowSession) {
            // A new trial (forks=0 runs several in one JVM): its .hgrm starts empty.
            windowSession = measured;
            window = new Histogram(3_600_000_000_000L, 3);
            measurementIterations = 0;
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result type.
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        List<Result> metrics = new ArrayList<>();
        PacedSession opened = session;
        if (measuring && measured == null && opened != null && opened != seenBefore && opened.openingSample() != null) {
            measured = opened;
            startWindow();
            start = measured.openingSample();
        }
        if (measured == null || start == null) {
            return metrics;
        }
        WindowSample end = measured.sample();
        Histogram latencies = measured.intervalHistogram();
        window.add(latencies);
        measurementIterations++;
        if (measurementIterations == iterationParams.getCount()) {
            writeHgrm(benchmarkParams);
        }
        long frames = end.frames() - start.frames();
        if (!start.complete() || !end.complete() || frames == 0 || latencies.getTotalCount() == 0) {
            // A side died in this window, or nothing arrived; the benchmark thread reports why.
            return metrics;
        }
        int streams = measured.streams();
        double seconds = (end.wallNanos() - start.wallNanos()) / 1e9;
        long senderCpu = end.senderCpuNanos() - start.senderCpuNanos();
        long receiverCpu = end.receiverCpuNanos() - start.receiverCpuNanos();

        metrics.add(new LatencyResult(Metric.LATENCY_P50.key(), latencies, 50));
        metrics.add(new LatencyResult(Metric.LATENCY_P90.key(), latencies, 90));
        metrics.add(new LatencyResult(Metric.LATENCY_P99.key(), latencies, 99));
        metrics.add(new LatencyResult(Metric.LATENCY_P999.key(), latencies, 99.9));
        metrics.add(new LatencyResult(Metric.LATENCY_MAX.key(), latencies, LatencyResult.MAX));
        metrics.add(Metric.FPS_TARGET.result(measured.schedule().fps()));
        metrics.add(Metric.FPS_ACHIEVED.result(frames / seconds / streams));
        metrics.add(Metric.FRAMES_LATE.result(end.late() - start.late()));
        metrics.add(Metric.FRAMES_DROPPED.result(end.dropped() - start.dropped()));
        metrics.add(Metric.CORES_SENDER.result(senderCpu / 1e9 / seconds));
        metrics.add(Metric.CORES_RECEIVER.result(receiverCpu / 1e9 / seconds));
        metrics.add(Metric.CORES_PER_STREAM.result((senderCpu + receiverCpu) / 1e9 / seconds / streams));
        if (start.machineCpuNanos() >= 0 && end.machineCpuNanos() >= 0) {
            metrics.add(Metric.CORES_MACHINE.result((end.machineCpuNanos() - start.machineCpuNanos()) / 1e9 / seconds));
        }
        metrics.addAll(FrameMetricsProfiler.throughputAndCost(start, end));
        metrics.add(Metric.SENDER_PROCESSES.result(measured.senderProcesses()));
        return metrics;
    }

    private void writeHgrm(BenchmarkParams params) {
        String dir = hgrmDir;
        if (dir.isBlank() || window.getTotalCount() == 0) {
            return;
        }
        String options = params.getParam("options");
        String name = params.getParam("transport") + "_" + params.getParam("frame") + "_" + params.getParam("topology") + "_"
                + params.getParam("streams") + ("fan-in".equals(params.getParam("receivers")) ? "_fan-in" : "")
                + (options == null || options.isBlank() ? "" : "_" + options.replaceAll("[^A-Za-z0-9.-]+", "-"));
        try {
            Path folder = Files.createDirectories(Path.of(dir));
            Path file = folder.resolve(name + ".hgrm");
            // A second fork of the same benchmark keeps its own file rather than overwriting the first.
            for (int fork = 2; Files.exists(file); fork++) {
                file = folder.resolve(name + "_fork" + fork + ".hgrm");
            }
            try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
                window.outputPercentileDistribution(out, 1000.0);
                // After HdrHistogram's own '#[...]' footer, where percentile plotters skip comments.
                out.println("#[framebench paced latency = receive time - intended send time, in microseconds: " + name
                        + " fps=" + params.getParam("fps") + "]");
            }
        } catch (IOException e) {
            System.err.println("framebench: cannot write " + name + ".hgrm to " + dir + ": " + e.getMessage());
        }
    }
}
