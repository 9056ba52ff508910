package dev.framebench.harness.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real JMH runs of the memcpy baseline, one fork each, interleaved across two frames and put back together. */
class InterleavedForksTest {
    private static Options oneRun(String frame) {
        // forks(0): in this JVM, which is all the merge needs and keeps the test quick; bench forks for real.
        return new OptionsBuilder().include(MemcpyBaseline.class.getName() + ".copyFrame$").param("frame", frame).forks(0)
                .warmupIterations(0).measurementIterations(2).measurementTime(TimeValue.milliseconds(50)).build();
    }

    @Test
    void theRunsOfEachBenchmarkBecomeOneResultWithAllItsForksAndJmhsOwnStatistics(@TempDir Path dir) throws Exception {
        List<RunResult> runs = new ArrayList<>();
        for (String frame : List.of("1080p-i420", "720p-i420", "1080p-i420", "720p-i420", "1080p-i420")) {
            runs.addAll(run(oneRun(frame)));
        }
        List<String> frames = List.of("720p-i420", "1080p-i420");
        List<RunResult> merged = InterleavedForks.merge(runs, Comparator.comparingInt((BenchmarkParams p) -> frames.indexOf(p.getParam("frame"))));

        assertEquals(2, merged.size());
        assertEquals("720p-i420", merged.get(0).getParams().getParam("frame"), "written in the order given, not the order run");
        RunResult big = merged.get(1);
        assertEquals(3, big.getParams().getForks());
        assertEquals(3, big.getBenchmarkResults().size());
        List<Double> iterations = new ArrayList<>();
        for (RunResult r : runs) {
            if (r.getParams().getParam("frame").equals("1080p-i420")) {
                for (IterationResult i : r.getBenchmarkResults().iterator().next().getIterationResults()) {
                    iterations.add(i.getPrimaryResult().getScore());
                }
            }
        }
        assertEquals(6, iterations.size());
        double mean = iterations.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(mean, big.getPrimaryResult().getScore(), mean * 1e-9, "the score is the mean over every iteration of every fork");
        assertEquals(6, big.getPrimaryResult().getStatistics().getN());
        assertTrue(big.getSecondaryResults().containsKey("bytes"), "secondary results survive the merge");

        Path json = dir.resolve("jmh.json");
        ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(merged);
        String text = Files.readString(json);
        assertTrue(text.contains("\"forks\" : 3"), text);
        assertTrue(text.contains("\"forks\" : 2"), text);
    }

    private static java.util.Collection<RunResult> run(Options options) throws RunnerException {
        return new Runner(options).run();
    }
}
