package dev.framebench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.run.FramebenchHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * scripts/bench-all.sh, regress.sh and setup-ec2.sh as a user runs them (after {@code package}, by failsafe:
 * the scripts run the packaged jar). The scripts find this test's JDK through JAVA_HOME.
 */
class ScriptsIT {
    private static final Path ROOT = FramebenchHome.root();
    private static final Path REGRESS_FIXTURE = ROOT.resolve("harness/src/test/resources/regress/baseline/jmh.json");

    record Outcome(int status, String out, String err) {
    }

    static Outcome script(Map<String, String> env, String... command) throws IOException, InterruptedException {
        return script(ROOT, env, command);
    }

    static Outcome script(Path root, Map<String, String> env, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("bash"));
        argv.add(root.resolve(command[0]).toString());
        argv.addAll(List.of(command).subList(1, command.length));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(root.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile("framebench-script", ".out");
        Path err = Files.createTempFile("framebench-script", ".err");
        try {
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " finished");
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void benchAllWritesACompleteResultsFolderAndPrintsIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Outcome o = script(Map.of(), "scripts/bench-all.sh", "--profile", "smoke", "--transports", "inproc-copy,tcp", "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        assertEquals(out.toString(), o.out().lines().reduce((a, b) -> b).orElse(""), "the folder is the last line");
        assertTrue(o.out().contains("[framebench] 1/2 start inproc-copy 1080p-i420"), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("[framebench] 1/2 done  inproc-copy 1080p-i420") && l.contains(" left, ends ~")), o.out());
        assertFalse(o.out().contains(".partial-"), "the stage's name is never shown: " + o.out());
        for (String file : List.of("jmh.json", "env.json", "summary.json", "summary.csv", "README.md", "charts/gbps.svg", "charts/cost.svg")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        String env = Files.readString(out.resolve("env.json"));
        assertTrue(env.contains("\"name\" : \"smoke\"") && env.contains("\"transports\" : \"inproc-copy,tcp\""), env);
        assertTrue(Files.readString(out.resolve("README.md")).startsWith("# framebench run `run`"));
        assertEquals(List.of("run"), listing(dir), "nothing but the results folder is left beside it");
    }

    @Test
    void failedBenchAllRunLeavesNoFolderOnlyItsLog(@TempDir Path dir) throws Exception {
        // A listen address that is not this machine's: the tcp receiver fails to bind, after inproc-copy succeeded.
        Path profile = dir.resolve("unbindable.properties");
        Files.writeString(profile, Files.readString(FramebenchHome.profiles().resolve("smoke.properties"))
                .replace("transports=all", "transports=inproc-copy,tcp").replace("options=", "options=listen=192.0.2.1:0"));
        Path out = dir.resolve("run");
        Outcome o = script(Map.of(), "scripts/bench-all.sh", "--profile", profile.toString(), "--out", out.toString());
        assertEquals(1, o.status(), o.err() + o.out());
        assertTrue(o.err().contains("cannot listen on 192.0.2.1:0") && o.err().contains("(log: " + out + ".failed.log)"), o.err());
        assertEquals(List.of("run.failed.log", "unbindable.properties"), listing(dir), "no folder, no stage, only the log");

        Outcome bad = script(Map.of(), "scripts/bench-all.sh", "--transports", "tcp,smoke-signals", "--out", out.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("unknown transport 'smoke-signals'"), bad.err());
        assertFalse(Files.exists(out));
    }

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    @Test
    void publishCommitsTheRunAndTheIndexInItsCheckoutAndPushesNothing(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(ROOT.resolve(".git")), "needs a git checkout");
        // A clone of this checkout, so the commit lands there; the jar built here is copied in (newer than its sources).
        Path clone = dir.resolve("clone");
        git(ROOT, "clone", "--quiet", "--no-hardlinks", ROOT.toString(), clone.toString());
        git(clone, "config", "user.email", "bench@example.invalid");
        git(clone, "config", "user.name", "framebench test");
        Files.createDirectories(clone.resolve("harness/target"));
        Files.copy(ROOT.resolve("harness/target/benchmarks.jar"), clone.resolve("harness/target/benchmarks.jar"));
        String before = git(clone, "rev-parse", "HEAD");

        Outcome o = script(clone, Map.of(), "scripts/bench-all.sh", "--profile", "smoke", "--transports", "inproc-copy", "--publish");
        assertEquals(0, o.status(), o.err() + o.out());
        Path run = Path.of(o.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(clone.resolve("results"), run.getParent());
        assertTrue(run.getFileName().toString().matches("\\d{4}-\\d{2}-\\d{2}T\\d{4}Z_.+_smoke"), run.toString());
        assertEquals("results: " + run.getFileName() + " (profile smoke on " + run.getFileName().toString().split("_")[1] + ")",
                git(clone, "log", "-1", "--format=%s"));
        assertEquals(before, git(clone, "rev-parse", "HEAD~1"), "one commit on top");
        String committed = git(clone, "show", "--name-only", "--format=", "HEAD");
        assertTrue(committed.contains("results/" + run.getFileName() + "/summary.json") && committed.contains("results/README.md"), committed);
        assertTrue(Files.readString(clone.resolve("results/README.md")).contains("## [" + run.getFileName() + "]"));
        assertEquals("", git(clone, "status", "--porcelain", "--", "results"), "everything of the run is committed");
        assertTrue(git(clone, "status", "-sb").contains("ahead 1"), "committed, not pushed");
    }

    @Test
    void benchAllHelpExplainsEveryFlag() throws Exception {
        Outcome o = script(Map.of(), "scripts/bench-all.sh", "--help");
        assertEquals(0, o.status());
        for (String flag : List.of("--profile", "--transports", "--sender", "--receiver", "--pin", "--out", "--flames", "--publish", "--help")) {
            assertTrue(o.out().contains("  " + flag), flag + " in\n" + o.out());
        }
        Outcome unknown = script(Map.of(), "scripts/bench-all.sh", "--frobnicate");
        assertEquals(2, unknown.status());
        assertEquals("framebench: bench-all: unknown argument '--frobnicate'; valid: --profile --transports --sender --receiver --pin --out --flames --publish --help",
                unknown.err().trim());
    }

    @Test
    void regressScriptExitsZeroOneOrTwo(@TempDir Path dir) throws Exception {
        Path baseline = Files.createDirectories(dir.resolve("baseline"));
        Files.copy(REGRESS_FIXTURE, baseline.resolve("jmh.json"));
        Outcome same = script(Map.of(), "scripts/regress.sh", baseline.toString(), baseline.toString(), "--bench-json", dir.toString());
        assertEquals(0, same.status(), same.err() + same.out());
        assertTrue(same.out().startsWith("transport "), same.out());

        Path slower = Files.createDirectories(dir.resolve("slower"));
        // ws-netty's throughput cut by 30% in every iteration of every fork, the rest as measured: a regression naming it.
        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(Files.readString(REGRESS_FIXTURE));
        for (JsonNode result : json) {
            if (result.path("params").path("transport").asText().equals("ws-netty")) {
                ObjectNode gbps = (ObjectNode) result.path("secondaryMetrics").path("gbps");
                gbps.put("score", gbps.path("score").asDouble() * 0.7);
                for (JsonNode fork : gbps.path("rawData")) {
                    ArrayNode iterations = (ArrayNode) fork;
                    for (int i = 0; i < iterations.size(); i++) {
                        iterations.set(i, DoubleNode.valueOf(iterations.get(i).asDouble() * 0.7));
                    }
                }
            }
        }
        Files.writeString(slower.resolve("jmh.json"), mapper.writeValueAsString(json));
        Outcome regression = script(Map.of(), "scripts/regress.sh", baseline.toString(), slower.toString(), "--bench-json", dir.toString());
        assertEquals(1, regression.status(), regression.err() + regression.out());
        assertTrue(regression.out().contains("REGRESSION in 1 figure(s): ws-netty 1080p-i420 gbps"), regression.out());

        Outcome missing = script(Map.of(), "scripts/regress.sh", baseline.toString(), dir.resolve("nothing").toString());
        assertEquals(2, missing.status());
        // The JVM's own "Picked up JDK_JAVA_OPTIONS" note aside (a developer's environment), one line.
        assertEquals(List.of("framebench: no results in " + dir.resolve("nothing") + " (neither summary.json nor jmh.json); give a results folder"),
                missing.err().lines().filter(l -> !l.startsWith("NOTE: Picked up")).toList());
    }

    @Test
    void setupEc2DryRunSaysEveryStepForBothDistributionsAndChangesNothing(@TempDir Path dir) throws Exception {
        Path amazon = dir.resolve("amzn-os-release");
        Files.writeString(amazon, "NAME=\"Amazon Linux\"\nID=\"amzn\"\nPRETTY_NAME=\"Amazon Linux 2023.6.20241212\"\n");
        Outcome al2023 = script(Map.of("FB_OS_RELEASE", amazon.toString()), "scripts/setup-ec2.sh", "--dry-run");
        assertEquals(0, al2023.status(), al2023.err());
        assertTrue(al2023.out().contains("[setup-ec2] step 1: install Amazon Corretto 25 (JDK) and git with dnf"), al2023.out());
        assertTrue(al2023.out().contains("dnf install -y java-25-amazon-corretto-devel git"), al2023.out());
        assertTrue(al2023.out().contains("kernel.perf_event_paranoid = 1") && al2023.out().contains("kernel.kptr_restrict = 0"), al2023.out());
        assertTrue(al2023.out().lines().filter(l -> l.startsWith("  $ ")).count() >= 4, "every command shown");

        Path ubuntu = dir.resolve("ubuntu-os-release");
        Files.writeString(ubuntu, "NAME=\"Ubuntu\"\nID=ubuntu\nPRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\n");
        Outcome noble = script(Map.of("FB_OS_RELEASE", ubuntu.toString()), "scripts/setup-ec2.sh", "--dry-run");
        assertEquals(0, noble.status(), noble.err());
        assertTrue(noble.out().contains("apt-get install -y java-25-amazon-corretto-jdk"), noble.out());

        // Not a dry run, on a machine whose files do not say EC2: refuses, one line, nothing run.
        Outcome refused = script(Map.of("FB_OS_RELEASE", ubuntu.toString(), "FB_SYS_ROOT", dir.toString()), "scripts/setup-ec2.sh");
        assertEquals(2, refused.status());
        assertTrue(refused.err().startsWith("setup-ec2: this does not look like an EC2 instance"), refused.err());
        assertEquals("", refused.out());
    }
}
