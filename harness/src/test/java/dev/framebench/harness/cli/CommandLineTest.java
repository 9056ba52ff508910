package dev.framebench.harness.cli;

import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.metrics.RequestPrices;
import dev.framebench.harness.run.RunProfile;
import dev.framebench.harness.peer.Jvm;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, one-line errors, and the standalone peers across two JVMs. */
class CommandLineTest {
    record Outcome(int status, String out, String err) {
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertOneLineError(Outcome outcome, String expected) {
        assertEquals(2, outcome.status(), outcome.err());
        assertEquals("framebench: " + expected + System.lineSeparator(), outcome.err());
        assertEquals("", outcome.out());
    }

    @Test
    void unknownTransportFailsWithOneLineListingTheValidOnes() {
        Outcome o = run("bench", "--transport", "tcp,smoke-signals", "--out", "/nonexistent/never-written");
        // The registry's own list: every transport added would otherwise have to edit this line.
        assertTrue(TransportRegistry.validNames().startsWith("inproc-handoff, inproc-copy, null, tcp"), TransportRegistry.validNames());
        assertOneLineError(o, "unknown transport 'smoke-signals'; valid transports: " + TransportRegistry.validNames());
    }

    @Test
    void versionNamesTheBuildInThreeLines() {
        Outcome o = run("--version");
        assertEquals(0, o.status(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals(3, lines.size(), o.out());
        assertTrue(lines.get(0).matches("framebench \\d+\\.\\d+\\.\\d+.*"), o.out());
        assertTrue(lines.get(1).startsWith("commit "), o.out());
        assertTrue(lines.get(2).startsWith("built "), o.out());
        assertEquals("", o.err());
    }

    @Test
    void jmhOptionThatJmhRejectsFailsTheBenchInOneLineBeforeAnythingRuns(@TempDir Path dir) {
        Path out = dir.resolve("run");
        Outcome o = run("bench", "--profile", "smoke", "--out", out.toString(), "--", "-prof", "no.such.Profiler");
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().startsWith("framebench: JMH options after --: profiler 'no.such.Profiler' cannot run here: "), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertFalse(Files.exists(out), "no results folder for a run refused");
        Outcome forks = run("bench", "--profile", "smoke", "--out", out.toString(), "--", "-f", "2");
        assertOneLineError(forks, "JMH options after --: -f is framebench's; use --forks (-f 2)");
    }

    @Test
    void unknownFrameFailsWithOneLine() {
        assertOneLineError(run("bench", "--frame", "8k"),
                "unknown frame '8k'; valid frames: 720p-i420, 1080p-i420, 1080p-nv12, 1080p-rgba, 2160p-i420");
    }

    @Test
    void unknownFlagFailsWithOneLineListingTheValidOnes() {
        Outcome o = run("send", "--transport", "tcp", "--conect", "127.0.0.1:1");
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("framebench: framebench send: unknown argument '--conect'; valid: --connect "), o.err());
        assertEquals(1, o.err().lines().count());
    }

    @Test
    void badNumberFailsNamingFlagValueAndRange() {
        assertOneLineError(run("bench", "--forks", "0"), "command line: bad value forks=0; allowed: a whole number from 1 to 100");
    }

    @Test
    void aPinThatCannotBeHonouredFailsBeforeTheRunNamingTheCpusAllowed() {
        String allowed = dev.framebench.harness.util.CpuList.format(dev.framebench.harness.util.CpuAffinity.ofCurrentThread());
        assertOneLineError(run("bench", "--pin", "sender=0,receiver=1000"), "command line: pin 'sender=0,receiver=1000': the receiver's CPUs 1000"
                + " are not ones this process may run on (" + allowed + "); choose among those");
        assertOneLineError(run("paced", "--pin", "fastest"), "command line: pin 'fastest' is not one of none, auto, sender=CPUS,receiver=CPUS"
                + " (e.g. --pin sender=2,receiver=3); CPUs this process may use: " + allowed);
    }

    @Test
    void unknownOptionKeyFailsNamingTheValidOnes() {
        assertOneLineError(run("bench", "--transport", "tcp", "--options", "tcp.nagle=on"),
                "unknown transport option 'tcp.nagle' for tcp; valid options: listen, tcp.io, tcp.socketBufferBytes");
    }

    @Test
    void unknownProfileAndUnknownProfileKeyFailWithOneLine(@TempDir Path dir) throws IOException {
        Outcome unknown = run("bench", "--profile", "nightly-ish");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("framebench: unknown profile 'nightly-ish'"), unknown.err());
        assertTrue(unknown.err().contains("valid profiles: ec2, full, nightly, quick, smoke"), unknown.err());

        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, Files.readString(FramebenchHome.profiles().resolve("smoke.properties")) + "\nsmokeSignals=true\n");
        Outcome badKey = run("bench", "--profile", bad.toString());
        assertEquals(2, badKey.status());
        assertTrue(badKey.err().startsWith("framebench: profile " + bad + ": unknown key 'smokeSignals'; valid keys: transports, frames,"), badKey.err());
    }

    @Test
    void profileMayLeaveOutThePriceAndABadPriceNamesTheRange(@TempDir Path dir) throws IOException {
        RunProfile smoke = RunProfile.load("smoke", FramebenchHome.profiles());
        assertEquals(RunProfile.DEFAULT_USD_PER_VCPU_HOUR, smoke.get("usdPerVcpuHour"), "smoke.properties does not name it");
        Path bad = dir.resolve("pricey.properties");
        Files.writeString(bad, Files.readString(FramebenchHome.profiles().resolve("smoke.properties")) + "\nusdPerVcpuHour=free\n");
        assertOneLineError(run("bench", "--profile", bad.toString()),
                bad + ": bad value usdPerVcpuHour=free; allowed: a number from 0.0001 to 100");
    }

    @Test
    void requestPricesDefaultToS3StandardAndABadOneNamesTheRange(@TempDir Path dir) throws IOException {
        RunProfile smoke = RunProfile.load("smoke", FramebenchHome.profiles());
        assertEquals(RequestPrices.S3_STANDARD, smoke.requestPrices(), "smoke.properties does not name them");
        RunProfile ec2 = RunProfile.load("ec2", FramebenchHome.profiles());
        assertTrue(ec2.requestPrices().source().contains("aws.amazon.com/s3/pricing"), "the profile says where its prices come from");
        Path bad = dir.resolve("requests.properties");
        Files.writeString(bad, Files.readString(FramebenchHome.profiles().resolve("smoke.properties")) + "\nusdPer1000Puts=-1\n");
        assertOneLineError(run("bench", "--profile", bad.toString()),
                bad + ": bad value usdPer1000Puts=-1; allowed: a number from 0 to 100");
    }

    @Test
    void aSenderOrReceiverKindWithNoTransportItFitsIsOneLineNamingTheTransportsItTakes() {
        assertOneLineError(run("bench", "--profile", "smoke", "--transport", "tcp", "--sender", "chromium"),
                "command line: sender chromium drives none of the transports chosen (tcp); it drives ws-netty, ws-javaws: add one with --transport");
        assertOneLineError(run("bench", "--profile", "smoke", "--transport", "tcp,shm-ffm", "--receiver", "python"),
                "command line: receiver python receives none of the transports chosen (tcp, shm-ffm); it receives ws-netty, ws-javaws: add one with --transport");
        assertOneLineError(run("bench", "--profile", "smoke", "--transport", "ws-netty", "--sender", "firefox"),
                "command line: unknown sender kind 'firefox'; valid: jvm, chromium");
        assertOneLineError(run("bench", "--profile", "smoke", "--transport", "ws-netty", "--receiver", "python", "--options", "ws.mask=false"),
                "receiver python cannot take ws-netty option ws.mask=false (websockets requires masked client frames); drop the option or use --receiver jvm");
        assertOneLineError(run("paced", "--profile", "smoke", "--transport", "ws-netty,tcp", "--receiver", "python", "--topology", "thread-per-stream"),
                "receiver python cannot receive transport tcp; it receives ws-netty, ws-javaws");
        assertOneLineError(run("paced", "--profile", "smoke", "--transport", "tcp", "--sender", "chromium", "--topology", "thread-per-stream"),
                "sender chromium cannot drive transport tcp; it drives ws-netty, ws-javaws");
    }

    @Test
    void everySenderKindRunsWithEveryReceiverKindWhereTheTransportFitsAndTheSeedsPairOnce() {
        RunProfile profile = RunProfile.load("smoke", FramebenchHome.profiles()).with("transports", "ws-netty,ws-javaws,shm-ffm")
                .with("senderKinds", "chromium,jvm").with("receiverKinds", "python,jvm");
        assertEquals(List.of("chromium->python", "chromium->jvm", "jvm->python", "jvm->jvm"), ends(profile, "ws-netty"));
        assertEquals(List.of("chromium->jvm", "jvm->python", "jvm->jvm"), ends(profile, "ws-javaws"), "the seed's pair uses no transport of ours: once");
        assertEquals(List.of("jvm->jvm"), ends(profile, "shm-ffm"));
        assertTrue(RunProfile.load("smoke", FramebenchHome.profiles()).jvmEndsOnly(), "profiles without the keys keep two JVM ends");
    }

    private static List<String> ends(RunProfile profile, String transport) {
        return profile.endsOf(transport).stream().map(e -> e.sender() + "->" + e.receiver()).toList();
    }

    @Test
    void orderIsGroupedUnlessTheProfileInterleavesAndABadOrderNamesTheChoices() {
        assertFalse(RunProfile.load("smoke", FramebenchHome.profiles()).interleaved(), "smoke.properties does not name it");
        assertTrue(RunProfile.load("nightly", FramebenchHome.profiles()).interleaved(), "the nightly job samples the host over the whole run");
        assertOneLineError(run("bench", "--profile", "smoke", "--order", "random"),
                "command line: bad value order=random; allowed: grouped, interleaved");
    }

    @Test
    void etaIsThePlanLeftPlusTheSetUpFinishedBenchmarksTook() {
        long second = 1_000_000_000L;
        assertEquals(10 * (8 + 2) * second, ProgressOutputFormat.remainingNanos(0, 10, 0, 8 * second, 2 * second), "before any: assumed set-up");
        // 4 done in 48 s with 8 s planned each: 4 s of set-up each, so 6 more take 6 x 12 s.
        assertEquals(6 * 12 * second, ProgressOutputFormat.remainingNanos(4, 10, 48 * second, 8 * second, 2 * second));
        assertEquals(0, ProgressOutputFormat.remainingNanos(10, 10, 100 * second, 8 * second, 2 * second));
    }

    @Test
    void existingResultsFolderIsNeverOverwritten(@TempDir Path dir) {
        assertOneLineError(run("bench", "--profile", "smoke", "--out", dir.toString()),
                "results folder " + dir + " already exists; choose a new --out or remove it");
    }

    @Test
    void inprocessTransportsHaveNoStandalonePeers() {
        assertOneLineError(run("receive", "--transport", "inproc-copy"),
                "inproc-copy runs sender and receiver as threads of one JVM, so it has no standalone receive/send; "
                        + "measure it with scripts/bench.sh --transport inproc-copy");
    }

    @Test
    void everyProfileShippedLoads() throws IOException {
        try (var files = Files.list(FramebenchHome.profiles())) {
            List<Path> profiles = files.filter(p -> p.toString().endsWith(".properties")).toList();
            assertFalse(profiles.isEmpty());
            for (Path p : profiles) {
                RunProfile.load(p.toString(), FramebenchHome.profiles());
            }
        }
    }

    @Test
    void standaloneReceiverVerifiesFramesFromASenderInAnotherJvm() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(() -> Main.run(
                new String[]{"receive", "--transport", "tcp", "--listen", "127.0.0.1:0", "--frames", "30", "--consume", "verify"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        String endpoint = awaitEndpoint(err);
        Process sender = new ProcessBuilder(Jvm.javaBinary(), "--enable-native-access=ALL-UNNAMED", "-cp", Jvm.classPath(),
                Main.class.getName(), "send", "--transport", "tcp", "--connect", endpoint, "--frame", "2160p-i420", "--frames", "30")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(sender.waitFor(60, TimeUnit.SECONDS), "sender finished");
        String sent = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sender.exitValue(), sent);
        assertTrue(sent.startsWith("{\"transport\":\"tcp\",\"frames\":30,\"bytes\":373249920,"), sent);

        assertEquals(0, receiver.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(line.matches("\\{\"transport\":\"tcp\",\"endpoint\":\"" + Pattern.quote(endpoint)
                + "\",\"frames\":30,\"bytes\":373249920,\"seconds\":[0-9.]+,\"gbps\":[0-9.]+,\"foreignRefused\":0,\"errors\":0}"), line);
    }

    @Test
    void standaloneReceiverReportsAStreamThatEndsEarly() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(() -> Main.run(
                new String[]{"receive", "--transport", "tcp", "--frames", "10"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        String endpoint = awaitEndpoint(err);
        Outcome sent = run("send", "--transport", "tcp", "--connect", endpoint, "--frame", "720p-i420", "--frames", "4");
        assertEquals(0, sent.status(), sent.err());
        assertEquals(1, receiver.get(60, TimeUnit.SECONDS));
        String line = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(line.contains("\"frames\":4,") && line.endsWith("\"errors\":1,\"error\":\"sender ended the stream after 4 of 10 frames\"}"), line);
    }

    private static String awaitEndpoint(ByteArrayOutputStream err) throws InterruptedException {
        Pattern listening = Pattern.compile("listening on (\\S+)");
        for (int i = 0; i < 300; i++) {
            Matcher m = listening.matcher(err.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("receiver never said where it listens: " + err.toString(StandardCharsets.UTF_8));
    }
}
