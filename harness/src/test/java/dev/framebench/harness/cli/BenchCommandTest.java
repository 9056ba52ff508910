package dev.framebench.harness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real, short JMH run through the command line: forked receiver JVM, sender JVM, and every secondary
 * metric in jmh.json. It checks that the metrics exist and are positive, never how fast anything was.
 */
class BenchCommandTest {
    static final List<String> METRICS = List.of("gbps", "cpu.sender.sPerGB", "cpu.receiver.sPerGB", "cpu.total.sPerGB",
            "cpu.machine.sPerGB", "rss.sender.MB", "rss.receiver.MB");

    /** The JSON of one benchmark result: from its transport parameter to the next result. */
    static String resultOf(String json, String transport) {
        int at = json.indexOf("\"transport\" : \"" + transport + "\"");
        assertTrue(at >= 0, "no result for " + transport);
        int next = json.indexOf("\"jmhVersion\"", at);
        return json.substring(at, next < 0 ? json.length() : next);
    }

    /** The score of a metric in one result; primaryMetric or a secondary metric's name. */
    static double score(String result, String metric) {
        int m = result.indexOf("\"" + metric + "\" : {");
        assertTrue(m >= 0, "missing metric " + metric);
        int s = result.indexOf("\"score\" : ", m) + "\"score\" : ".length();
        int end = result.indexOf(',', s);
        return Double.parseDouble(result.substring(s, end).trim());
    }

    @Test
    void writesEverySecondaryMetricForEachTransportIntoJmhJson(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        CommandLineTest.Outcome o = CommandLineTest.run("bench", "--profile", "smoke", "--transport", "tcp,inproc-copy",
                "--frame", "720p-i420", "--warmup-iterations", "1", "--iterations", "2", "--no-baseline", "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        assertTrue(o.out().contains("[framebench] 1/2 start "), o.out());
        assertTrue(o.out().contains("[framebench] 2/2 done  "), o.out());
        assertTrue(o.out().trim().endsWith("[framebench] results: " + out.resolve("jmh.json")), o.out());

        String json = Files.readString(out.resolve("jmh.json"));
        for (String transport : List.of("tcp", "inproc-copy")) {
            String result = resultOf(json, transport);
            assertTrue(score(result, "primaryMetric") > 0, transport + " frames/s");
            for (String metric : METRICS) {
                double value = score(result, metric);
                if (transport.equals("inproc-copy") && metric.equals("rss.sender.MB")) {
                    assertEquals(0.0, value, "a sender thread has no process, so no RSS of its own");
                } else {
                    assertTrue(value > 0, transport + " " + metric + " = " + value + ": a window was lost");
                }
            }
        }
        assertTrue(Files.exists(out.resolve("jmh.log")));
        assertTrue(Files.exists(out.resolve("summary.txt")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(out), siblings.toList(), "nothing but the results folder is left beside it");
        }
    }

    /** JMH options after --: a JMH profiler's figures and a fork argument reach the run, and the run records them. */
    @Test
    void jmhOptionsAfterDoubleDashReachTheForksAndAreRecorded(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        CommandLineTest.Outcome o = CommandLineTest.run("bench", "--profile", "smoke", "--transport", "inproc-copy",
                "--frame", "720p-i420", "--warmup-iterations", "1", "--iterations", "1", "--no-baseline", "--out", out.toString(),
                "--", "-prof", "gc", "-jvmArgsAppend", "-Dframebench.passThroughTest=yes");
        assertEquals(0, o.status(), o.err() + o.out());
        assertTrue(o.out().contains("[framebench] JMH options after --: -prof gc -jvmArgsAppend -Dframebench.passThroughTest=yes"), o.out());
        String json = Files.readString(out.resolve("jmh.json"));
        assertTrue(json.contains("\"gc.alloc.rate\""), "the gc profiler's figures are in jmh.json");
        assertTrue(json.contains("-Dframebench.passThroughTest=yes"), "the fork argument is in the fork's jvmArgs");
        assertTrue(score(resultOf(json, "inproc-copy"), "gbps") > 0, "framebench's own figures are still there");
        assertEquals(List.of("-prof", "gc", "-jvmArgsAppend", "-Dframebench.passThroughTest=yes"),
                Files.readAllLines(out.resolve(BenchCommand.JMH_ARGS_FILE)));
    }

    /** Two rounds of one fork each, of two transports: four forked runs, written back as two results of two forks each. */
    @Test
    void interleavedRoundsAreWrittenAsOneResultPerBenchmarkWithAllItsForks(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        CommandLineTest.Outcome o = CommandLineTest.run("bench", "--profile", "smoke", "--transport", "tcp,inproc-copy",
                "--frame", "720p-i420", "--forks", "2", "--order", "interleaved", "--warmup-iterations", "1", "--iterations", "1",
                "--no-baseline", "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        assertTrue(o.out().contains("2 fork(s) interleaved: 2 rounds of one fork of each benchmark, shuffled (seed "), o.out());
        assertTrue(o.out().contains("[framebench] 4/4 done  "), o.out());
        for (String transport : List.of("tcp", "inproc-copy")) {
            assertTrue(o.out().contains(" start " + transport + " 720p-i420 consume=read fork 2/2"), o.out());
        }
        String json = Files.readString(out.resolve("jmh.json"));
        assertTrue(json.indexOf("\"transport\" : \"tcp\"") < json.indexOf("\"transport\" : \"inproc-copy\""), "written in the order asked");
        for (String transport : List.of("tcp", "inproc-copy")) {
            String result = resultOf(json, transport);
            for (String metric : METRICS) {
                assertTrue(result.contains("\"" + metric + "\" : {"), transport + " " + metric);
            }
        }
        assertEquals(2, json.split("\"forks\" : 2,").length - 1, "one result per transport, each of both forks:\n" + json);
        assertFalse(json.contains("\"forks\" : 1,"), json);
    }
}
