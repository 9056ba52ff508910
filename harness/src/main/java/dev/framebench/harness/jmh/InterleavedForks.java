package dev.framebench.harness.jmh;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.WorkloadParams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts back together the forks of benchmarks that were run one fork at a time, in interleaved rounds
 * (randomised multiple interleaved trials: Abedi and Brecht, ICPE 2017). On a shared host the speed of
 * the machine drifts over minutes; JMH runs a benchmark's forks back to back, so each benchmark, and the
 * ruler every figure is divided by, would see a different stretch of that drift. Run in rounds, every
 * benchmark samples the whole run, and the drift shows as spread between forks instead of as a bias.
 *
 * <p>The merged result is what JMH itself makes of a multi-fork benchmark: one {@link RunResult} holding
 * one {@link BenchmarkResult} per fork, so scores, errors and raw data come from JMH's own statistics.
 */
public final class InterleavedForks {
    private InterleavedForks() {
    }

    /**
     * @param oneForkRuns the results of every one-fork run, in the order they ran
     * @param order       the order to write benchmarks in
     * @return one result per benchmark (benchmark method and parameters), holding all of its forks in the
     *         order they ran and saying so in its {@code forks} count
     */
    public static List<RunResult> merge(List<RunResult> oneForkRuns, Comparator<BenchmarkParams> order) {
        Map<String, List<RunResult>> byBenchmark = new LinkedHashMap<>();
        for (RunResult run : oneForkRuns) {
            byBenchmark.computeIfAbsent(key(run.getParams()), k -> new ArrayList<>()).add(run);
        }
        List<RunResult> merged = new ArrayList<>();
        for (List<RunResult> runs : byBenchmark.values()) {
            List<BenchmarkResult> forks = new ArrayList<>();
            runs.forEach(r -> forks.addAll(r.getBenchmarkResults()));
            merged.add(new RunResult(withForks(runs.get(0).getParams(), forks.size()), forks));
        }
        merged.sort(Comparator.comparing(RunResult::getParams, order));
        return merged;
    }

    /** The benchmark method and its parameter values: what makes two one-fork runs forks of one benchmark. */
    public static String key(BenchmarkParams params) {
        StringBuilder key = new StringBuilder(params.getBenchmark());
        for (String name : params.getParamsKeys()) {
            key.append(' ').append(name).append('=').append(params.getParam(name));
        }
        return key.toString();
    }

    /** {@code params} with another fork count: the one-fork runs each said 1. */
    static BenchmarkParams withForks(BenchmarkParams params, int forks) {
        WorkloadParams workload = new WorkloadParams();
        int order = 0;
        for (String name : params.getParamsKeys()) {
            workload.put(name, params.getParam(name), order++);
        }
        return new BenchmarkParams(params.getBenchmark(), params.generatedBenchmark(), params.shouldSynchIterations(), params.getThreads(),
                params.getThreadGroups(), params.getThreadGroupLabels(), forks, params.getWarmupForks(), params.getWarmup(),
                params.getMeasurement(), params.getMode(), workload, params.getTimeUnit(), params.getOpsPerInvocation(), params.getJvm(),
                params.getJvmArgs(), params.getJdkVersion(), params.getVmName(), params.getVmVersion(), params.getJmhVersion(),
                params.getTimeout());
    }
}
