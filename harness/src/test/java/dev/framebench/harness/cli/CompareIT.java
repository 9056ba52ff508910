package dev.framebench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framebench.harness.run.FramebenchHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code framebench compare} end to end on the packaged harness/target/benchmarks.jar (after {@code package},
 * by failsafe), passed as both builds: real JMH runs of inproc-copy and tcp, 2 rounds of the smoke profile's
 * iterations. An A/A comparison on a noisy 2-core host with 2 rounds says little about the figures, so this
 * checks what the comparison is made of: every file, every row, finite positive ratios inside their intervals,
 * and an exit status that agrees with the verdicts.
 */
class CompareIT {
    private static final Path JAR = FramebenchHome.root().resolve("harness/target/benchmarks.jar");

    @Test
    void sameJarAsBothBuildsWritesACompleteComparison(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build the jar first (mvn package): " + JAR);
        Path out = dir.resolve("aa");
        // Figures are not checked here, and the test machine may be running another JMH benchmark: start beside it
        // (JMH's own switch, passed on to every run) rather than wait for its lock.
        String ignoreLock = System.getProperty("jmh.ignoreLock");
        System.setProperty("jmh.ignoreLock", "true");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status;
        try {
            status = Main.run(new String[] {"compare", "--base-jar", JAR.toString(), "--head-jar", JAR.toString(), "--transport", "inproc-copy,tcp",
                            "--profile", "smoke", "--rounds", "2", "--out", out.toString()},
                    new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        } finally {
            if (ignoreLock == null) {
                System.clearProperty("jmh.ignoreLock");
            } else {
                System.setProperty("jmh.ignoreLock", ignoreLock);
            }
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);
        String errors = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(status == 0 || status == 1, "exit " + status + "\n" + printed + errors);
        assertTrue(printed.lines().anyMatch(l -> l.startsWith("[framebench] 1/8 start ") && l.contains(" left, ends ~")), printed);

        for (String file : List.of("comparison.md", "comparison.json", "comparison.csv", "charts/compare.svg", "env.json", "profile.properties",
                "bmf.json", "github-action-benchmark-bigger-is-better.json", "github-action-benchmark-smaller-is-better.json")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        for (String side : List.of("base", "head")) {
            for (int round = 1; round <= 2; round++) {
                for (String transport : List.of("inproc-copy", "tcp")) {
                    Path raw = out.resolve("raw/" + side + "/round-" + round + "/" + transport + "_1080p-i420/jmh.json");
                    assertTrue(Files.size(raw) > 0, raw.toString());
                }
            }
        }
        JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("comparison.json")));
        assertEquals(JAR.toString(), json.path("base").path("jar").asText());
        assertEquals(2, json.path("rounds").asInt());
        assertEquals(8, json.path("rows").size(), "inproc-copy and tcp x gbps, cpu.total, cpu.send, cpu.recv");
        List<String> regressions = new ArrayList<>();
        for (JsonNode row : json.path("rows")) {
            double ratio = row.path("ratio").asDouble();
            assertTrue(Double.isFinite(ratio) && ratio > 0, row.toString());
            assertTrue(row.path("low").asDouble() > 0 && row.path("low").asDouble() <= ratio && ratio <= row.path("high").asDouble(), row.toString());
            assertEquals("paired", row.path("method").asText(), row.toString());
            if (row.path("verdict").asText().equals("regression")) {
                regressions.add(row.path("transport").asText() + " " + row.path("frame").asText() + " " + row.path("figure").asText());
            }
        }
        String last = printed.lines().reduce((a, b) -> b).orElse("");
        if (status == 0) {
            assertTrue(regressions.isEmpty(), "exit 0 only without a regression: " + regressions);
            assertTrue(last.startsWith("[framebench] no regression beyond 3%"), last);
        } else {
            assertTrue(!regressions.isEmpty(), "exit 1 only with a regression present\n" + printed + errors);
            assertEquals("[framebench] REGRESSION in " + regressions.size() + " figure(s): " + String.join(", ", regressions), last);
        }
    }
}
