package dev.framebench.harness.jmh;

import dev.framebench.harness.session.FrameSession;
import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.session.WindowSample;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Adds framebench's secondary metrics to every measurement iteration of {@link FrameThroughputBenchmark},
 * so they land in JMH's JSON beside the score:
 * <ul>
 *   <li>{@code gbps}: bytes received over the iteration / 10^9 / its wall seconds ({@link Metric#gbps}, as in paced mode);</li>
 *   <li>{@code cpu.sender.sPerGB}, {@code cpu.receiver.sPerGB}, {@code cpu.total.sPerGB}: user+system CPU
 *       seconds of each side over the iteration, per 10^9 bytes received in it;</li>
 *   <li>{@code cpu.machine.sPerGB}: busy CPU of the whole machine (/proc/stat) per GB, which also catches
 *       softirq and kernel-thread work no process is charged for;</li>
 *   <li>{@code rss.sender.MB}, {@code rss.receiver.MB}: peak RSS (VmHWM) in 10^6 bytes.</li>
 *   <li>Where a side is processes of several kinds (a browser, a Python receiver): {@code cpu.sender.kind.<kind>.sPerGB}
 *       and {@code cpu.receiver.kind.<kind>.sPerGB}, one per kind ({@link Metric#processKindKey}).</li>
 *   <li>Where the receiver started a store (s3-handoff): {@code cpu.storage.sPerGB} and {@code rss.storage.MB} of its
 *       processes, and {@code cpu.all.sPerGB}, sender + receiver + store.</li>
 * </ul>
 * A profiler rather than {@code @AuxCounters}: aux event counters are summed across iterations, which is
 * wrong for ratios; these are averaged (RSS: maximum). Warm-up iterations report nothing.
 *
 * <p>Threading: JMH calls it on its runner thread, before and after each iteration, when the benchmark
 * thread is parked at the iteration boundary.
 */
public final class FrameMetricsProfiler implements InternalProfiler {
    private static volatile FrameSession session;
    private static volatile boolean active;
    private static volatile boolean warned;

    private FrameSession measured;
    private WindowSample start;

    /** The trial's session; the profiler samples it at each measurement iteration's edges. */
    static void attach(FrameSession current) {
        session = current;
    }

    static void warnIfAbsent() {
        if (!active && !warned) {
            warned = true;
            System.err.println("framebench: no gbps/cpu/rss metrics: add -prof " + FrameMetricsProfiler.class.getName()
                    + " (scripts/bench.sh does)");
        }
    }

    @Override
    public String getDescription() {
        return "framebench: GB/s, CPU s/GB of sender, receiver and machine, and peak RSS of each side";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        active = true;
        measured = iterationParams.getType() == IterationType.MEASUREMENT ? session : null;
        start = measured == null ? null : measured.sample();
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result type.
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        List<ScalarResult> metrics = new ArrayList<>();
        if (measured == null || start == null) {
            return metrics;
        }
        WindowSample end = measured.sample();
        if (!start.complete() || !end.complete()) {
            // A side died in this window; the benchmark thread reports how, and JMH records a failure.
            return metrics;
        }
        long frames = end.frames() - start.frames();
        long bytes = end.bytes() - start.bytes();
        if (frames == 0 || bytes == 0) {
            return metrics;
        }
        metrics.addAll(throughputAndCost(start, end));
        return metrics;
    }

    /**
     * The figures saturation and paced windows share, computed one way for both: GB/s over the window's
     * wall time, CPU seconds per GB of each side and of the machine, peak RSS of each side.
     */
    static List<ScalarResult> throughputAndCost(WindowSample start, WindowSample end) {
        List<ScalarResult> metrics = new ArrayList<>();
        long bytes = end.bytes() - start.bytes();
        long senderCpu = end.senderCpuNanos() - start.senderCpuNanos();
        long receiverCpu = end.receiverCpuNanos() - start.receiverCpuNanos();
        metrics.add(Metric.GBPS.result(Metric.gbps(bytes, (end.wallNanos() - start.wallNanos()) / 1e9)));
        metrics.add(Metric.CPU_SENDER.result(Metric.cpuSecondsPerGb(senderCpu, bytes)));
        metrics.add(Metric.CPU_RECEIVER.result(Metric.cpuSecondsPerGb(receiverCpu, bytes)));
        metrics.add(Metric.CPU_TOTAL.result(Metric.cpuSecondsPerGb(senderCpu + receiverCpu, bytes)));
        if (start.machineCpuNanos() >= 0 && end.machineCpuNanos() >= 0) {
            metrics.add(Metric.CPU_MACHINE.result(Metric.cpuSecondsPerGb(end.machineCpuNanos() - start.machineCpuNanos(), bytes)));
        }
        metrics.add(Metric.RSS_SENDER.result(end.senderPeakRssBytes() / 1e6));
        metrics.add(Metric.RSS_RECEIVER.result(end.receiverPeakRssBytes() / 1e6));
        addProcessKinds(metrics, "sender", start.senderCpuByKind(), end.senderCpuByKind(), bytes);
        addProcessKinds(metrics, "receiver", start.receiverCpuByKind(), end.receiverCpuByKind(), bytes);
        if (end.storageProcesses() > 0) {
            long storageCpu = end.storageCpuNanos() - start.storageCpuNanos();
            metrics.add(Metric.CPU_STORAGE.result(Metric.cpuSecondsPerGb(storageCpu, bytes)));
            metrics.add(Metric.CPU_ALL.result(Metric.cpuSecondsPerGb(senderCpu + receiverCpu + storageCpu, bytes)));
            metrics.add(Metric.RSS_STORAGE.result(end.storagePeakRssBytes() / 1e6));
        }
        return metrics;
    }

    /** One figure per kind of process of a side in processes of other kinds (a browser's renderer, network service, ...); none for a JVM. */
    private static void addProcessKinds(List<ScalarResult> metrics, String side, Map<String, Long> start, Map<String, Long> end, long bytes) {
        end.forEach((kind, nanos) -> metrics.add(Metric.processKindResult(side, kind,
                Metric.cpuSecondsPerGb(nanos - start.getOrDefault(kind, 0L), bytes))));
    }
}
