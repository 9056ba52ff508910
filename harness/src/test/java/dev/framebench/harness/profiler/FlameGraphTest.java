package dev.framebench.harness.profiler;

import dev.framebench.harness.util.Json;
import com.fasterxml.jackson.databind.JsonNode;
import dev.framebench.harness.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short profiled JMH runs through the command line, with a real receiver fork and a real sender JVM:
 * both sides leave flame graphs whose stacks hold their socket paths, the event recorded is the one
 * used (a machine where async-profiler cannot load: faults/ProfilerCannotLoadFaultTest). Nothing here is timed.
 */
class FlameGraphTest {
    record Outcome(int status, String out, String err) {
    }

    static Outcome bench(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("bench", "--profile", "smoke", "--transport", "tcp", "--frame", "720p-i420",
                "--warmup-iterations", "1", "--iterations", "2", "--no-baseline"));
        argv.addAll(List.of(args));
        int status = Main.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The name of the first (hottest) frame of one side's {@code top} list. */
    static String hottestFrame(String json, String side) {
        try {
            return Json.MAPPER.readTree(json).path(side).path("top").path(0).path("frame").asText("");
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The value of {@code key} in the JSON of one side (or of the whole file for side null), as text. */
    static String field(String json, String side, String key) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
        JsonNode node = side == null ? root : root.path(side);
        assertTrue(node.isObject(), "no " + side + " in " + json);
        assertTrue(node.has(key), "no " + key + " in " + json);
        return node.path(key).asText();
    }

    static void assertFlameGraphs(Path flames, String side, String pathFrame) throws IOException {
        Path html = flames.resolve("tcp_720p-i420_" + side + ".html");
        Path collapsed = flames.resolve("tcp_720p-i420_" + side + ".collapsed");
        assertTrue(Files.size(html) > 0 && Files.readString(html).startsWith("<!DOCTYPE html>"), html + " is no flame graph");
        CollapsedStacks stacks = CollapsedStacks.read(collapsed);
        assertTrue(stacks.total() > 0, collapsed + " holds no samples");
        assertTrue(stacks.anyFrameContains(pathFrame), side + " stacks lack " + pathFrame);
    }

    @Test
    void profiledTcpRunLeavesFlameGraphsOfBothJvmsWithTheirSocketPaths(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        Outcome o = bench("--flames", "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());

        Path flames = out.resolve("flames");
        assertFlameGraphs(flames, "sender", "sun/nio/ch/SocketChannelImpl.write");
        assertFlameGraphs(flames, "receiver", "sun/nio/ch/SocketChannelImpl.read");

        // Whatever this machine allows: perf_events where they work, else the itimer fall-back; recorded as used.
        String expected = FlameRecorder.prepare("cpu", false).event().used();
        String hot = Files.readString(flames.resolve("tcp_720p-i420_hot.json"));
        assertEquals("cpu", field(hot, null, "eventRequested"));
        for (String side : List.of("sender", "receiver")) {
            assertEquals(expected, field(hot, side, "event"), side);
            assertTrue(Long.parseLong(field(hot, side, "samples")) > 0, side);
            assertTrue(hottestFrame(hot, side).length() > 0, side + " has no hot frames");
        }
        assertTrue(Files.readString(out.resolve("jmh.json")).contains("\"flames.profiled\""), "jmh.json does not flag the profiled run");
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("PROFILED RUN"), summary);
        assertTrue(summary.contains("sender: hottest frames by self samples (" + expected), summary);
    }

    @Test
    void fallsBackToItimerWhereCpuCannotUsePerfEventsAndRecordsIt(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run");
        Outcome o;
        System.setProperty(FlameSettings.PERF_EVENTS_PROPERTY, "off");
        try {
            o = bench("--flames", "--out", out.toString());
        } finally {
            System.clearProperty(FlameSettings.PERF_EVENTS_PROPERTY);
        }
        assertEquals(0, o.status(), o.err() + o.out());
        Path flames = out.resolve("flames");
        assertFlameGraphs(flames, "sender", "sun/nio/ch/SocketChannelImpl.write");
        assertFlameGraphs(flames, "receiver", "sun/nio/ch/SocketChannelImpl.read");
        String hot = Files.readString(flames.resolve("tcp_720p-i420_hot.json"));
        for (String side : List.of("sender", "receiver")) {
            assertEquals("itimer", field(hot, side, "event"), side);
            assertTrue(field(hot, side, "eventReason").contains("perf_events turned off"), hot);
            // itimer samples in user space only: the kernel half of the socket path is not in its stacks.
            assertEquals("false", field(hot, side, "kernelFrames"), side);
        }
    }

    @Test
    void rejectsAnEventItDoesNotOfferWithOneLine(@TempDir Path dir) {
        Outcome o = bench("--flames-event", "cycles", "--out", dir.resolve("run").toString());
        assertEquals(2, o.status(), o.err());
        assertEquals("framebench: command line: bad value flamesEvent=cycles; allowed: cpu, itimer, ctimer, wall, alloc, lock"
                + System.lineSeparator(), o.err());
        assertFalse(Files.exists(dir.resolve("run")));
    }
}
