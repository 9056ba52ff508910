package dev.framebench.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framebench.harness.run.FramebenchHome;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code framebench compare} driving two builds: stand-in jars ({@link FakeBuild}) whose runs report figures
 * the test chose, so the orchestration, the statistic's verdicts, the files and every bad input are checked
 * without JMH (CompareIT runs the real benchmarks.jar); and scripts/compare.sh's own bad input.
 */
class CompareCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Outcome(int status, String out, String err) {
        String lastLine() {
            return out.lines().reduce((a, b) -> b).orElse("");
        }
    }

    static Outcome compare(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = new String[args.length + 1];
        argv[0] = "compare";
        System.arraycopy(args, 0, argv, 1, args.length);
        int status = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Outcome compare(Path base, Path head, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--base-jar", base.toString(), "--head-jar", head.toString(), "--transport", "inproc-copy,tcp",
                "--profile", "smoke", "--rounds", "3", "--seed", "42", "--base-ref", "main", "--head-ref", "feature", "--out", out.toString()));
        args.addAll(List.of(more));
        return compare(args.toArray(String[]::new));
    }

    private static void assertBadInputWithoutFolder(Outcome o, Path out, String start) throws IOException {
        assertEquals(2, o.status(), o.out() + o.err());
        assertEquals(1, o.err().lines().count(), "one line: " + o.err());
        assertTrue(o.err().startsWith("framebench: " + start), o.err());
        assertFalse(Files.exists(out), "no results folder");
        try (Stream<Path> beside = Files.list(out.getParent())) {
            assertTrue(beside.noneMatch(p -> p.getFileName().toString().contains(".partial-")), "no partial folder left");
        }
    }

    @Test
    void sameBuildTwiceIsNoRegressionAndWritesEveryFile(@TempDir Path dir) throws IOException {
        Path jar = FakeBuild.jar(dir, "same", "inproc-handoff,inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("aa");
        Outcome o = compare(jar, jar, out);
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.lastLine().startsWith("[framebench] no regression beyond 3% (paired over 3 rounds, 95% intervals)"), o.out());
        assertTrue(o.out().contains("shuffled (seed 42)"), "the seed is printed\n" + o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("[framebench] 1/12 start ") && l.contains(" left, ends ~")), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("[framebench] 12/12 done ")), o.out());
        for (String file : List.of("comparison.md", "comparison.json", "comparison.csv", "charts/compare.svg", "env.json", "profile.properties",
                "compare.log", "bmf.json", "github-action-benchmark-bigger-is-better.json", "github-action-benchmark-smaller-is-better.json")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        for (String side : List.of("base", "head")) {
            for (int round = 1; round <= 3; round++) {
                for (String transport : List.of("inproc-copy", "tcp")) {
                    assertTrue(Files.isRegularFile(out.resolve("raw/" + side + "/round-" + round + "/" + transport + "_1080p-i420/jmh.json")),
                            side + " round " + round + " " + transport);
                }
            }
        }
        JsonNode json = MAPPER.readTree(Files.readString(out.resolve("comparison.json")));
        assertEquals(8, json.path("rows").size(), "2 transports x 4 figures");
        assertEquals("main", json.path("base").path("ref").asText());
        assertEquals(42, json.path("seed").asLong());
        assertEquals(0, json.path("regressions").size());
        for (JsonNode row : json.path("rows")) {
            assertEquals("paired", row.path("method").asText(), row.toString());
            assertEquals(3, row.path("baseRounds").size());
            assertTrue(row.path("low").asDouble() > 0 && row.path("low").asDouble() <= row.path("ratio").asDouble()
                    && row.path("ratio").asDouble() <= row.path("high").asDouble(), row.toString());
        }
        JsonNode bmf = MAPPER.readTree(Files.readString(out.resolve("bmf.json")));
        JsonNode tcp = bmf.path("tcp 1080p-i420").path("gbps");
        assertTrue(tcp.path("value").asDouble() > 0 && tcp.path("lower_value").asDouble() < tcp.path("value").asDouble()
                && tcp.path("upper_value").asDouble() > tcp.path("value").asDouble(), bmf.toString());
        String profile = Files.readString(out.resolve("profile.properties"));
        assertTrue(profile.contains("forks=1") && profile.contains("iterations=2") && profile.contains("baseline=false"), profile);
        String md = Files.readString(out.resolve("comparison.md"));
        assertTrue(md.contains("| `tcp` | 1080p-i420 | gbps GB/s |") && md.contains("**No regression**"), md);
    }

    @Test
    void thirtyPercentSlowerHeadIsARegressionNamedOnTheLastLine(@TempDir Path dir) throws IOException {
        Path base = FakeBuild.jar(dir, "base", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path head = FakeBuild.jar(dir, "head", "inproc-copy,tcp", 0.7, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("cut");
        Outcome o = compare(base, head, out);
        assertEquals(1, o.status(), o.out() + o.err());
        assertEquals("[framebench] REGRESSION in 8 figure(s): inproc-copy 1080p-i420 gbps, inproc-copy 1080p-i420 cpu.total.sPerGB, "
                + "inproc-copy 1080p-i420 cpu.sender.sPerGB, inproc-copy 1080p-i420 cpu.receiver.sPerGB, tcp 1080p-i420 gbps, "
                + "tcp 1080p-i420 cpu.total.sPerGB, tcp 1080p-i420 cpu.sender.sPerGB, tcp 1080p-i420 cpu.receiver.sPerGB", o.lastLine());
        assertTrue(Files.isRegularFile(out.resolve("comparison.md")), "a regression still writes its results");
        JsonNode tcp = MAPPER.readTree(Files.readString(out.resolve("comparison.json"))).path("rows").get(4);
        assertEquals("gbps", tcp.path("figure").asText());
        assertEquals(0.7, tcp.path("ratio").asDouble(), 0.03);
        assertEquals("regression", tcp.path("verdict").asText());
        assertTrue(o.out().contains("confirming with 3 new rounds of inproc-copy 1080p-i420, tcp 1080p-i420 (12 runs)"), o.out());
        assertEquals("regression", tcp.path("confirmation").path("verdict").asText(), "the new rounds flag it again: " + tcp);
        assertEquals(0.7, tcp.path("confirmation").path("ratio").asDouble(), 0.03);
        assertTrue(Files.isRegularFile(out.resolve("raw/head/confirm-round-3/tcp_1080p-i420/jmh.json")), "the confirmation's raw runs are kept");
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("[framebench] 24/24 done ")), "the plan grew by the confirmation's runs\n" + o.out());
    }

    /** The first rounds see head 30% slower, the confirmation rounds see no change: a false alarm, not a failure. */
    @Test
    void aFlagTheConfirmationRoundsDoNotRepeatIsNotConfirmedAndExitsZero(@TempDir Path dir) throws IOException {
        Path base = FakeBuild.jar(dir, "base", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path head = FakeBuild.jar(dir, "head", "inproc-copy,tcp", 0.7, 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("passing");
        Outcome o = compare(base, head, out);
        assertEquals(0, o.status(), o.out() + o.err());
        assertEquals("[framebench] no regression beyond 3% (paired over 3 rounds, 95% intervals; 8 flag(s) not confirmed by 3 more rounds)",
                o.lastLine());
        JsonNode json = MAPPER.readTree(Files.readString(out.resolve("comparison.json")));
        assertEquals(0, json.path("regressions").size());
        JsonNode tcp = json.path("rows").get(4);
        assertEquals("not_confirmed", tcp.path("verdict").asText(), tcp.toString());
        assertEquals(0.7, tcp.path("ratio").asDouble(), 0.03, "the row keeps what the first rounds measured");
        assertEquals(1.0, tcp.path("confirmation").path("ratio").asDouble(), 0.05, "the fake adds +-2% per side");
        assertTrue(Files.readString(out.resolve("comparison.md")).contains("not confirmed; confirmation 1."), "the table shows both");
    }

    @Test
    void withoutConfirmationRoundsTheFirstFlagStands(@TempDir Path dir) throws IOException {
        Path base = FakeBuild.jar(dir, "base", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path head = FakeBuild.jar(dir, "head", "inproc-copy,tcp", 0.7, 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("unconfirmed");
        Outcome o = compare(base, head, out, "--confirm-rounds", "0");
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.lastLine().startsWith("[framebench] REGRESSION in 8 figure(s)"), o.lastLine());
        assertFalse(Files.exists(out.resolve("raw/head/confirm-round-1")), "no confirmation ran");
        assertEquals(0, MAPPER.readTree(Files.readString(out.resolve("comparison.json"))).path("confirmRounds").asInt());
    }

    @Test
    void oneConfirmationRoundIsBadInput(@TempDir Path dir) throws IOException {
        Path jar = FakeBuild.jar(dir, "same", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("one");
        assertBadInputWithoutFolder(compare(jar, jar, out, "--confirm-rounds", "1"), out, "compare: --confirm-rounds 1 gives no interval");
    }

    @Test
    void aTransportHeadCannotRunIsNamedAsAFailure(@TempDir Path dir) throws IOException {
        Path base = FakeBuild.jar(dir, "base", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path head = FakeBuild.jar(dir, "head", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, "tcp");
        Path out = dir.resolve("broken");
        Outcome o = compare(base, head, out);
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.out().lines().anyMatch(l -> l.contains(" FAILED head tcp 1080p-i420 (round 1/3)") && l.contains("the receiver stalled")
                && l.contains("(log: raw/head/round-1/tcp_1080p-i420.log)")), o.out());
        assertTrue(o.lastLine().startsWith("[framebench] REGRESSION in 4 figure(s): tcp 1080p-i420 gbps"), o.lastLine());
        JsonNode json = MAPPER.readTree(Files.readString(out.resolve("comparison.json")));
        assertEquals(3, json.path("failures").size());
        assertEquals("head_failed", json.path("rows").get(4).path("verdict").asText());
        assertTrue(Files.readString(out.resolve("comparison.md")).contains("FAILED in head"));
    }

    @Test
    void aRoundThatLacksOneBuildIsComparedUnpaired(@TempDir Path dir) throws IOException {
        Path base = FakeBuild.jar(dir, "base", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path head = FakeBuild.jar(dir, "head", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, "tcp@2");
        Path out = dir.resolve("gap");
        Outcome o = compare(base, head, out);
        assertEquals(0, o.status(), o.out() + o.err());
        JsonNode rows = MAPPER.readTree(Files.readString(out.resolve("comparison.json"))).path("rows");
        assertEquals("paired", rows.get(0).path("method").asText(), "inproc-copy ran in every round of both");
        assertEquals("welch", rows.get(4).path("method").asText(), "tcp lacks head in round 2");
        assertTrue(rows.get(4).path("headRounds").get(1).isNull());
        assertTrue(o.out().contains("(unpaired, Welch)"), o.out());
    }

    @Test
    void comparisonWhereNothingRanWritesNoFolderButKeepsALog(@TempDir Path dir) throws IOException {
        Path broken = FakeBuild.jar(dir, "broken", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.FAIL, null);
        Path out = dir.resolve("nothing");
        Outcome o = compare(broken, broken, out, "--rounds", "2");
        assertEquals(1, o.status(), o.out() + o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("framebench: compare failed, no results written: no benchmark ran in both builds"), o.err());
        assertFalse(Files.exists(out), "no results folder");
        assertTrue(Files.readString(dir.resolve("nothing.failed.log")).contains("the receiver stalled"), "the first failure's log is kept beside");
    }

    @Test
    void unknownJarIsOneLineAndNoFolder(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Outcome o = compare(dir.resolve("nope.jar"), dir.resolve("nope.jar"), out);
        assertBadInputWithoutFolder(o, out, "compare: --base-jar " + dir.resolve("nope.jar") + ": no such file");
    }

    @Test
    void jarThatIsNotFramebenchIsOneLineAndNoFolder(@TempDir Path dir) throws IOException {
        Path notAJar = Files.writeString(dir.resolve("notes.jar"), "not a jar");
        Path out = dir.resolve("out");
        Outcome o = compare(notAJar, notAJar, out);
        assertBadInputWithoutFolder(o, out, "compare: " + notAJar + " is not a framebench benchmarks.jar");
    }

    @Test
    void buildsWithNoBenchmarkInCommonAreOneLineAndNoFolder(@TempDir Path dir) throws IOException {
        Path base = FakeBuild.jar(dir, "base", "inproc-copy", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path head = FakeBuild.jar(dir, "head", "tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("out");
        Outcome o = compare(base, head, out);
        assertBadInputWithoutFolder(o, out, "compare: no rows in common: the selection is inproc-copy,tcp x 1080p-i420;");
        assertEquals("", o.out(), "nothing but the one line");
    }

    @Test
    void buildThatRefusesItsRunIsOneLineAndNoFolder(@TempDir Path dir) throws IOException {
        Path base = FakeBuild.jar(dir, "base", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.REFUSE, null);
        Path head = FakeBuild.jar(dir, "head", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("out");
        Outcome o = compare(base, head, out);
        assertBadInputWithoutFolder(o, out, "compare: the base build refused ");
        assertTrue(o.err().contains("unknown flag --forks"), o.err());
    }

    @Test
    void flagsOutsideTheirRangeAreOneLine(@TempDir Path dir) throws IOException {
        Path jar = FakeBuild.jar(dir, "same", "inproc-copy,tcp", 1.0, FakeBuild.Behaviour.MEASURE, null);
        Path out = dir.resolve("out");
        assertBadInputWithoutFolder(compare(jar, jar, out, "--rounds", "1"), out, "framebench compare: bad value for --rounds: '1'");
        assertBadInputWithoutFolder(compare(jar, jar, out, "--threshold", "ten"), out, "compare: bad --threshold 'ten'");
        assertBadInputWithoutFolder(compare(jar, jar, out, "--confidence", "100%"), out, "compare: bad --confidence '100%'");
        assertBadInputWithoutFolder(compare("--head-jar", jar.toString(), "--out", out.toString()), out, "framebench compare: --base-jar is required");
        assertBadInputWithoutFolder(compare(jar, jar, out, "--transport", "smoke-signals"), out, "unknown transport 'smoke-signals'");
    }

    @Test
    void helpExplainsTheStatisticAndEveryFlag() {
        Outcome o = compare("--help");
        assertEquals(0, o.status());
        for (String flag : List.of("--base-jar", "--head-jar", "--profile", "--transport", "--frame", "--consume", "--options", "--rounds",
                "--threshold", "--confidence", "--seed", "--out", "--head-dirty")) {
            assertTrue(o.out().contains(flag), flag + "\n" + o.out());
        }
        assertTrue(o.out().contains("d_r = ln(head_r / base_r)"), o.out());
    }

    static Outcome script(String... args) throws IOException, InterruptedException {
        return script(FramebenchHome.root(), args);
    }

    static Outcome script(Path checkout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("scripts/compare.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile());
        builder.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home")));
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Outcome(p.exitValue(), out, err);
    }

    @Test
    void scriptHelpNeedsNoBuild() throws Exception {
        Outcome o = script("--help");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().startsWith("usage: scripts/compare.sh BASE HEAD [flags]"), o.out());
        assertTrue(o.out().contains("--allow-dirty") && o.out().contains("--rounds"), o.out());
        assertEquals("", o.err());
    }

    @Test
    void scriptRefusesAnUnknownRefInOneLine(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Outcome o = script("nosuchref", "HEAD", "--out", out.toString());
        assertEquals(2, o.status(), o.err());
        assertEquals(List.of("framebench: compare: unknown git ref 'nosuchref' (not a commit in " + FramebenchHome.root()
                + "); give a branch, tag or SHA, e.g. main or HEAD~1"), o.err().lines().filter(l -> !l.startsWith("NOTE: Picked up")).toList());
        assertEquals("", o.out());
        assertFalse(Files.exists(out));
        Outcome one = script("HEAD");
        assertEquals(2, one.status());
        assertEquals(1, one.err().lines().count(), one.err());
    }

    @Test
    void scriptRefusesAHeadWithUncommittedChangesInOneLine(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(FramebenchHome.root().resolve(".git")), "needs a git checkout");
        Path clone = dir.resolve("clone");
        git(dir, "clone", "--quiet", "--no-hardlinks", FramebenchHome.root().toString(), clone.toString());
        Path readme = clone.resolve("README.md");
        Files.writeString(readme, Files.readString(readme) + "\nan uncommitted line\n");
        Outcome o = script(clone, "HEAD", "HEAD", "--out", dir.resolve("out").toString());
        assertEquals(2, o.status(), o.err());
        assertEquals(List.of("framebench: compare: HEAD (HEAD) has uncommitted changes in " + clone.toRealPath() + "; commit or stash them, or pass "
                + "--allow-dirty to measure the working tree as head (recorded as dirty)"),
                o.err().lines().filter(l -> !l.startsWith("NOTE: Picked up")).toList());
        assertFalse(Files.exists(dir.resolve("out")));
        assertEquals("", git(clone, "worktree", "list", "--porcelain").lines().filter(l -> l.startsWith("worktree ")).skip(1).reduce("", String::concat),
                "no worktree was made");
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
