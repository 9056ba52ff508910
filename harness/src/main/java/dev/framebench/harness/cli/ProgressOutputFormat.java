package dev.framebench.harness.cli;

import dev.framebench.harness.jmh.MemoryBaseline;
import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.util.ExitStatus;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends JMH's full text output to the run's log and prints one line to the terminal as each benchmark
 * starts and ends: which transport and frame, the elapsed time, and an estimate of when the whole profile
 * ends. The estimate is the plan (forks x warm-up and measurement seconds of each benchmark left) plus the
 * set-up time per benchmark the finished ones actually took beyond their plan (fork, peer JVM, frame pool).
 */
final class ProgressOutputFormat implements OutputFormat {
    private final OutputFormat log;
    private final PrintStream terminal;
    private final int total;
    private final long plannedNanosPerBenchmark;
    private final long assumedSetupNanos;
    private final long startNanos = System.nanoTime();
    private int started;
    private long benchmarkStartNanos;
    private String label = "";
    private String firstFailure;
    private final java.util.Map<String, Integer> forksStarted = new java.util.HashMap<>();
    private int rounds = 1;
    private static final java.util.regex.Pattern FORK_DEATH = java.util.regex.Pattern.compile("forked VM failed with exit code (\\d+)");

    /** Set-up beyond the iterations assumed before any benchmark has finished: measured on 2 cores, about 1.5 s per fork. */
    static final long ASSUMED_SETUP_NANOS_PER_FORK = 1_500_000_000L;

    /**
     * @param plannedNanosPerBenchmark forks x (warm-up + measurement) time of one benchmark, set-up excluded
     */
    ProgressOutputFormat(OutputFormat log, PrintStream terminal, int total, long plannedNanosPerBenchmark, int forks) {
        this.log = log;
        this.terminal = terminal;
        this.total = total;
        this.plannedNanosPerBenchmark = plannedNanosPerBenchmark;
        this.assumedSetupNanos = ASSUMED_SETUP_NANOS_PER_FORK * forks;
    }

    /** Runs of one fork each, {@code rounds} per benchmark (order=interleaved): each start line then says which fork it is. */
    ProgressOutputFormat inRounds(int rounds) {
        this.rounds = rounds;
        return this;
    }

    /** The first exception message a benchmark printed, with the benchmark it came from; null if none. */
    String firstFailure() {
        return firstFailure;
    }

    static String label(BenchmarkParams params) {
        Optional<MemoryBaseline> baseline = MemoryBaseline.ofBenchmark(params.getBenchmark());
        if (baseline.isPresent()) {
            return baseline.get().label() + " " + params.getParam("frame");
        }
        String sender = params.getParam("sender") == null ? "jvm" : params.getParam("sender");
        String receiver = params.getParam("receiver") == null ? "jvm" : params.getParam("receiver");
        // The ends only where they are not two JVMs, as the summary's rows name them.
        String ends = sender.equals("jvm") && receiver.equals("jvm") ? "" : " " + sender + "->" + receiver;
        return params.getParam("transport") + ends + " " + params.getParam("frame") + " consume=" + params.getParam("consume")
                + (params.getParam("options") == null || params.getParam("options").isEmpty() ? "" : " options=" + params.getParam("options"))
                + (params.getParam("streams") == null ? "" : " streams=" + params.getParam("streams") + " fps=" + params.getParam("fps") + " "
                + params.getParam("topology") + ("fan-in".equals(params.getParam("receivers")) ? "/fan-in" : ""));
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        started++;
        benchmarkStartNanos = System.nanoTime();
        label = label(params);
        if (rounds > 1) {
            label += " fork " + forksStarted.merge(label, 1, Integer::sum) + "/" + rounds;
        }
        terminal.printf(Locale.ROOT, "[framebench] %d/%d start %s  (elapsed %s%s)%n", started, total, label, clock(System.nanoTime() - startNanos), eta(started - 1));
        log.startBenchmark(params);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
        String took = clock(System.nanoTime() - benchmarkStartNanos);
        if (result == null) {
            terminal.printf(Locale.ROOT, "[framebench] %d/%d FAILED %s after %s (details in jmh.log)%n", started, total, label, took);
            return;
        }
        Result<?> primary = result.getPrimaryResult();
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%,.0f %s", primary.getScore(), primary.getScoreUnit()));
        appendSecondary(line, result, Metric.GBPS.key(), "GB/s");
        Result<?> copied = result.getSecondaryResults().get("bytes");
        if (copied != null) {
            line.append(String.format(Locale.ROOT, "  %.3f GB/s", copied.getScore() / 1e9));
        }
        appendSecondary(line, result, Metric.CPU_TOTAL.key(), "cpu.total s/GB");
        Result<?> p99 = result.getSecondaryResults().get(Metric.LATENCY_P99.key());
        if (p99 != null) {
            line.append(String.format(Locale.ROOT, "  p99 %.2f ms", p99.getScore() / 1e3));
        }
        terminal.printf(Locale.ROOT, "[framebench] %d/%d done  %s: %s  (took %s, elapsed %s%s)%n", started, total, label, line, took,
                clock(System.nanoTime() - startNanos), eta(started));
    }

    private static void appendSecondary(StringBuilder line, BenchmarkResult result, String key, String unit) {
        Result<?> r = result.getSecondaryResults().get(key);
        if (r != null) {
            line.append(String.format(Locale.ROOT, "  %.3f %s", r.getScore(), unit));
        }
    }

    private String eta(int done) {
        if (done >= total) {
            return "";
        }
        long left = remainingNanos(done, total, System.nanoTime() - startNanos, plannedNanosPerBenchmark, assumedSetupNanos);
        String ends = java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusNanos(left).withNano(0).toString();
        return ", about " + clock(left) + " left, ends ~" + ends + " UTC";
    }

    /**
     * Time left for the {@code total - done} benchmarks still to run: each takes its planned iteration time
     * plus the set-up the finished ones averaged beyond their plan (or {@code assumedSetupNanos} before any has finished).
     */
    static long remainingNanos(int done, int total, long elapsedNanos, long plannedNanos, long assumedSetupNanos) {
        long setup = done == 0 ? assumedSetupNanos : Math.max(0, elapsedNanos / done - plannedNanos);
        return (total - done) * (plannedNanos + setup);
    }

    static String clock(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        log.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
        log.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        log.endRun(result);
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        log.println(s);
        // Failures and framebench's own warnings from the forks also belong on the terminal.
        if (s.startsWith("framebench") || s.startsWith("<failure>") || s.contains("Exception: ")) {
            terminal.println("  " + s.lines().findFirst().orElse(""));
        }
        java.util.regex.Matcher forkDeath = FORK_DEATH.matcher(s);
        if (firstFailure == null && forkDeath.find()) {
            // The fork is the receiver: say how it died, in words, as the sender's death is said.
            firstFailure = label + ": the receiver JVM (JMH fork) " + ExitStatus.describe(Integer.parseInt(forkDeath.group(1)));
            terminal.println("  framebench: " + firstFailure);
        }
        if (firstFailure == null && s.contains("Exception: ") && !s.startsWith("\t")) {
            firstFailure = label + ": " + s.substring(s.indexOf("Exception: ") + "Exception: ".length()).lines().findFirst().orElse("");
        }
    }

    @Override
    public void flush() {
        log.flush();
        terminal.flush();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws java.io.IOException {
        log.write(b);
    }
}
