package dev.framebench.harness.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.framebench.harness.cli.BenchCommandTest.score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paced mode through the command line: bad values fail with one line before anything starts, and a real
 * short run (receiver fork, sender JVMs in both topologies) puts every paced metric into jmh.json and a
 * .hgrm file per benchmark into the results folder. It checks that metrics exist, never how fast.
 */
class PacedCommandTest {
    static final List<String> METRICS = List.of("latency.p50.us", "latency.p90.us", "latency.p99.us", "latency.p999.us", "latency.max.us",
            "fps.target", "fps.achieved", "cores.sender", "cores.receiver", "cores.perStream", "gbps", "cpu.total.sPerGB",
            "rss.sender.MB", "rss.receiver.MB", "senders.processes");

    @BeforeAll
    static void shareTheMachine() {
        // A test measures nothing, so another JMH run on the machine (a benchmark in progress) may hold JMH's lock.
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void zeroFpsFailsWithOneLine() {
        CommandLineTest.assertOneLineError(CommandLineTest.run("paced", "--fps", "0", "--out", "/nonexistent/never-written"),
                "command line: bad value fps=0; allowed: frames per second of each stream, a number above 0 and at most 10000 (e.g. 30 or 29.97)");
    }

    @Test
    void zeroStreamsFailsWithOneLine() {
        CommandLineTest.assertOneLineError(CommandLineTest.run("paced", "--streams", "1,0", "--out", "/nonexistent/never-written"),
                "command line: bad value streams=0; allowed: a whole number from 1 to 1024");
    }

    @Test
    void capacityZeroFpsFailsWithOneLine() {
        CommandLineTest.assertOneLineError(CommandLineTest.run("capacity", "--transport", "tcp", "--fps", "0"),
                "bad value fps=0; allowed: frames per second of each stream, a number above 0 and at most 10000 (e.g. 30 or 29.97)");
    }

    @Test
    void capacityNeedsATransport() {
        CommandLineTest.assertOneLineError(CommandLineTest.run("capacity", "--fps", "30"),
                "capacity: --transport is required; see capacity --help");
    }

    @Test
    void processPerStreamOfAnInprocTransportFailsWithOneLine() {
        CommandLineTest.assertOneLineError(CommandLineTest.run("paced", "--transport", "inproc-copy", "--out", "/nonexistent/never-written"),
                "inproc-copy runs sender and receiver as threads of one JVM, so topology process-per-stream does not apply; "
                        + "drop it from --transport or use --topology thread-per-stream");
    }

    @Test
    void writesPacedMetricsAndHgrmFilesForBothTopologies(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        CommandLineTest.Outcome o = CommandLineTest.run("paced", "--profile", "smoke", "--transport", "tcp", "--frame", "720p-i420",
                "--streams", "2", "--fps", "30", "--warmup-seconds", "1", "--iterations", "2", "--iteration-seconds", "1",
                "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        String json = Files.readString(out.resolve("jmh.json"));
        for (String topology : List.of("thread-per-stream", "process-per-stream")) {
            int at = json.indexOf("\"topology\" : \"" + topology + "\"");
            assertTrue(at >= 0, "no result for " + topology);
            int next = json.indexOf("\"jmhVersion\"", at);
            String result = json.substring(at, next < 0 ? json.length() : next);
            assertTrue(score(result, "primaryMetric") > 0, topology + " frames/s");
            for (String metric : METRICS) {
                // CPU is read in 10 ms clock ticks: a quiet sender may show none in a short window, but it is never negative.
                boolean mayBeZero = metric.equals("cores.sender");
                assertTrue(mayBeZero ? score(result, metric) >= 0 : score(result, metric) > 0, topology + " " + metric + " = " + score(result, metric));
            }
            assertTrue(score(result, "frames.dropped") == 0, topology + ": tcp drops nothing");
            assertTrue(Files.isRegularFile(out.resolve("hgrm").resolve("tcp_720p-i420_" + topology + "_2.hgrm")), topology + " .hgrm");
        }
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("price of a process per stream"), summary);
        assertTrue(o.out().trim().endsWith("[framebench] results: " + out.resolve("jmh.json")), o.out());
    }
}
