package dev.framebench.harness.faults;

import dev.framebench.harness.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole published path once, over tcp: {@code framebench bench} (JMH host, fork = receiver, sender
 * peer) with either peer SIGKILLed during a measurement iteration. JMH must record a failure, not a
 * number: exit 1, one line naming transport, side, pid and signal, no results folder, no process left.
 * The other transports share this path from the receiver's {@code FrameSession} on, which
 * {@link PeerDeathFaultTest} covers for each of them at a fraction of the cost.
 */
@Tag("faults")
class JmhRunFaultTest {
    private static final long LIMIT_SECONDS = 120;
    /** The run's deadline for every blocking step: what a stopped sender waits out. */
    private static final int TIMEOUT_SECONDS = 5;

    /**
     * JMH refuses to start while another JMH run holds /tmp/jmh.lock (a benchmark or another test on a shared
     * machine); these runs measure nothing, so they may run beside one.
     */
    @BeforeAll
    static void ignoreJmhLock() {
        System.setProperty("jmh.ignoreLock", "true");
    }

    @AfterAll
    static void writeMatrix() {
        System.clearProperty("jmh.ignoreLock");
        FaultMatrix.write();
    }

    @Test
    void senderKilledDuringMeasurementFailsTheRunWithoutANumber() throws Exception {
        signalDuringMeasurement("sender killed (whole JMH run)", "dev.framebench.harness.peer.SenderPeer", "KILL");
    }

    @Test
    void receiverForkKilledDuringMeasurementFailsTheRunWithoutANumber() throws Exception {
        signalDuringMeasurement("receiver killed (whole JMH run)", "org.openjdk.jmh.runner.ForkedMain", "KILL");
    }

    /**
     * A sender stopped with SIGSTOP inside a measurement iteration: the receive deadline (5 s here) fails
     * the run with the sender named, and the stopped sender is killed, not left holding the fork's pipes
     * (it once hung the run until someone resumed it).
     */
    @Test
    void senderStoppedDuringMeasurementFailsTheRunAtTheDeadlineAndIsKilled() throws Exception {
        signalDuringMeasurement("sender stopped in a measurement iteration (whole JMH run)", "dev.framebench.harness.peer.SenderPeer", "STOP");
    }

    /**
     * The same stop in paced mode: a stream of 30 fps whose sender JVM is stopped inside a measurement iteration
     * fails the paced run at the deadline, names the sender, and leaves no process or results folder.
     */
    @Test
    void pacedSenderStoppedDuringMeasurementFailsTheRunAtTheDeadlineAndIsKilled() throws Exception {
        signalDuringMeasurement("sender stopped in a paced measurement iteration (whole JMH run)", "dev.framebench.harness.peer.SenderPeer",
                "STOP", true);
    }

    private void signalDuringMeasurement(String fault, String victimMainClass, String signal) throws Exception {
        signalDuringMeasurement(fault, victimMainClass, signal, false);
    }

    private void signalDuringMeasurement(String fault, String victimMainClass, String signal, boolean paced) throws Exception {
        Path dir = RigRun.privateDir("jmh");
        Path out = dir.resolve("results");
        String observed = "";
        boolean passed = false;
        long millis = -1;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        String timeout = Integer.toString(TIMEOUT_SECONDS);
        String[] command = paced
                ? new String[] {"paced", "--profile", "smoke", "--transport", "tcp", "--frame", "720p-i420", "--consume", "verify", "--streams", "1",
                        "--fps", "30", "--topology", "process-per-stream", "--warmup-seconds", "1", "--iterations", "60", "--iteration-seconds", "1",
                        "--timeout-seconds", timeout, "--out", out.toString()}
                : new String[] {"bench", "--profile", "smoke", "--transport", "tcp", "--frame", "720p-i420", "--consume", "verify", "--no-baseline",
                        "--warmup-iterations", "1", "--iterations", "60", "--iteration-seconds", "1", "--timeout-seconds", timeout,
                        "--out", out.toString()};
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(command,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8)),
                // A thread of its own: the common pool may have a single one on 2 cores.
                r -> {
                    Thread t = new Thread(r, "fault-bench");
                    t.setDaemon(true);
                    t.start();
                });
        try {
            ProcessHandle victim = awaitDescendant(victimMainClass, 90, run, stdout, stderr);
            ProcessHandle sender = awaitDescendant("dev.framebench.harness.peer.SenderPeer", 30, run, stdout, stderr);
            List<ProcessHandle> started = Stream.concat(ProcessHandle.current().descendants()
                    .filter(p -> commandLine(p).contains("ForkedMain")), Stream.of(sender)).toList();
            // Warm-up is one second: by now JMH is measuring.
            Thread.sleep(2500);
            long killed = System.nanoTime();
            RigRun.signal(signal, victim.pid());
            int status = run.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            millis = (System.nanoTime() - killed) / 1_000_000;
            String err = stderr.toString(StandardCharsets.UTF_8).strip();
            observed = "exit " + status + ": " + err;
            assertEquals(1, status, observed + " / " + stdout);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith(paced ? "framebench: paced benchmark failed, no results written: "
                    : "framebench: benchmark failed, no results written: "), err);
            assertTrue(err.contains(paced ? "tcp" : ": tcp 720p-i420 consume=verify: "), err);
            if (signal.equals("STOP") && paced) {
                assertTrue(err.contains("no frame on any of 1 streams within " + TIMEOUT_SECONDS + " s; sender JVM pid " + victim.pid()
                        + " is alive but sent nothing for " + TIMEOUT_SECONDS + " s"), err);
            } else if (signal.equals("STOP")) {
                assertTrue(err.contains("sender JVM pid " + victim.pid() + " is alive but sent nothing for " + TIMEOUT_SECONDS + " s"), err);
            } else if (victimMainClass.endsWith("SenderPeer")) {
                assertTrue(err.contains("sender JVM pid " + victim.pid() + " was killed by signal 9 (SIGKILL)"), err);
            } else {
                assertTrue(err.contains("the receiver JVM (JMH fork) was killed by signal 9 (SIGKILL)"), err);
            }
            assertTrue(Files.notExists(out), "no results folder");
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().endsWith(".failed.log")).toList(), "no partial results");
            }
            for (ProcessHandle p : started) {
                assertTrue(RigRun.awaitExit(p.pid(), System.nanoTime(), 10) != -1, "process left: " + p.pid());
            }
            passed = true;
        } finally {
            run.cancel(true);
            RigRun.deleteTree(dir);
            FaultMatrix.record(PeerDeathFaultTest.SECTION, fault, "tcp", passed, millis, observed.replace(dir.toString(), "DIR"));
        }
    }

    /** The first descendant of this JVM running {@code mainClass}: only processes this test started. */
    private static ProcessHandle awaitDescendant(String mainClass, long limitSeconds, CompletableFuture<Integer> run,
                                                 ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) throws InterruptedException {
        long limit = System.nanoTime() + limitSeconds * 1_000_000_000L;
        while (System.nanoTime() - limit < 0) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before " + mainClass + " was seen: " + stdout + " / " + stderr);
            }
            Optional<ProcessHandle> found = ProcessHandle.current().descendants()
                    .filter(p -> commandLine(p).contains(mainClass)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + mainClass + " started within " + limitSeconds + " s; descendants: "
                + ProcessHandle.current().descendants().map(p -> p.pid() + " " + commandLine(p)).toList() + "; " + stdout);
    }

    /** The whole command line from /proc: ProcessHandle.Info leaves it out when it is long (JMH's fork class path). */
    private static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }
}
