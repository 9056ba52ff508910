package dev.framebench.harness.faults;

import dev.framebench.harness.peer.Jvm;
import dev.framebench.harness.run.ResultsFolder;
import dev.framebench.harness.run.StaleFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INT, TERM and SIGKILL of each script, and SIGKILL of the command-line JVM under bench-all, while a
 * benchmark runs: within a few seconds no process of the run is left (the JVM, its JMH fork, the sender,
 * bench-all's output filters), no partial results folder, no failed log of an interruption, and the exit
 * status is the documented one (128 + the signal). The scripts run for real, on this build's class path
 * ({@code FB_CLASSPATH}), with JAVA_TOOL_OPTIONS planted to show it never reaches the records.
 */
@Tag("faults")
class InterruptionFaultTest {
    static final String SECTION = "Interruptions";
    /** How long a run may take to leave nothing behind after a signal: the children's grace is 3 s. */
    private static final long GONE_SECONDS = 15;

    @BeforeAll
    static void ignoreJmhLock() {
        System.setProperty("jmh.ignoreLock", "true");
    }

    @AfterAll
    static void writeMatrix() {
        System.clearProperty("jmh.ignoreLock");
        FaultMatrix.write();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String script : List.of("bench.sh", "paced.sh", "bench-all.sh")) {
            for (String signal : List.of("INT", "TERM", "KILL")) {
                cases.add(Arguments.of(script, signal, "script"));
            }
        }
        cases.add(Arguments.of("bench-all.sh", "KILL", "command-line JVM"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} to {2} of {0}")
    @MethodSource("cases")
    void anInterruptedRunLeavesNothing(String script, String signal, String victim) throws Exception {
        Path root = FramebenchRoot.find();
        Path dir = RigRun.privateDir("interrupt");
        Path out = dir.resolve("results");
        String observed = "";
        boolean passed = false;
        long millis = -1;
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("scripts").resolve(script).toString(), "--profile", "smoke"));
        command.addAll(switch (script) {
            // The rings in the test's folder, so the files check sees them too.
            case "paced.sh" -> List.of("--transport", "shm-ffm", "--streams", "2", "--topology", "thread-per-stream", "--warmup-seconds", "0",
                    "--iterations", "30", "--iteration-seconds", "1", "--options", "shm.dir=" + dir, "--out", out.toString());
            case "bench.sh" -> List.of("--transport", "tcp", "--frame", "720p-i420", "--no-baseline", "--iterations", "30", "--out", out.toString());
            default -> List.of("--transports", "tcp", "--out", out.toString());
        });
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile());
        builder.environment().put("FB_CLASSPATH", Jvm.classPath());
        // These runs measure nothing: they may run while another benchmark holds JMH's lock.
        builder.environment().put("FB_EXTRA_JAVA_OPTS", "-Djmh.ignoreLock=true");
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Dprobe.token=planted");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("TMPDIR", dir.toString());
        Process run = builder.start();
        try {
            ProcessHandle sender = awaitDescendant(run.toHandle(), "harness.peer.SenderPeer", 90);
            List<ProcessHandle> started = run.toHandle().descendants().toList();
            Thread.sleep(2_000);
            long target = victim.equals("script") ? run.pid()
                    : awaitDescendant(run.toHandle(), "harness.cli.Main", 5).pid();
            long signalled = System.nanoTime();
            RigRun.signal(signal, target);
            if (!run.waitFor(GONE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(script + " still runs " + GONE_SECONDS + " s after " + signal);
            }
            List<ProcessHandle> left = new ArrayList<>();
            for (ProcessHandle p : Stream.concat(started.stream(), Stream.of(sender)).toList()) {
                if (RigRun.awaitExit(p.pid(), signalled, GONE_SECONDS) == -1) {
                    left.add(p);
                }
            }
            millis = (System.nanoTime() - signalled) / 1_000_000;
            int status = run.exitValue();
            List<String> files = files(dir);
            // SIGKILL runs no hook: what the killed JVM had started is the next run's to sweep, and it must.
            int swept = signal.equals("KILL") ? ResultsFolder.sweepAbandoned(dir) + StaleFiles.sweep(List.of(dir)) : 0;
            List<String> afterSweep = files(dir);
            observed = "exit " + status + ", processes left " + left.size() + ", files left " + files
                    + (swept > 0 ? " (the next run's sweep removed " + swept + ")" : "");
            files = afterSweep;
            int expected = signal.equals("KILL") && victim.equals("script") ? 137 : signal.equals("INT") ? 130 : signal.equals("TERM") ? 143 : 1;
            if (victim.equals("command-line JVM")) {
                assertTrue(status != 0, observed);
            } else {
                assertEquals(expected, status, observed);
            }
            assertEquals(List.of(), left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList(), "processes left");
            assertEquals(List.of(), files, "no partial folder, no failed log of an interrupted run");
            String log = Files.readString(dir.resolveSibling(dir.getFileName() + ".log"), StandardCharsets.UTF_8);
            assertTrue(!log.contains("probe.token=planted"), "JAVA_TOOL_OPTIONS' value must not reach any record: " + log);
            passed = true;
        } finally {
            run.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
            RigRun.deleteTree(dir);
            Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".log"));
            FaultMatrix.record(SECTION, signal + " to the " + victim + " of " + script, script.equals("paced.sh") ? "shm-ffm" : "tcp", passed, millis, observed);
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("jmh") && !n.startsWith("hsperfdata")).sorted().toList();
        }
    }

    /** The first descendant of {@code root} whose command line names {@code mainClass}. */
    private static ProcessHandle awaitDescendant(ProcessHandle root, String mainClass, long limitSeconds) throws InterruptedException, IOException {
        long limit = System.nanoTime() + limitSeconds * 1_000_000_000L;
        while (System.nanoTime() - limit < 0) {
            Optional<ProcessHandle> found = root.descendants().filter(p -> commandLine(p).contains(mainClass)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (!root.isAlive()) {
                throw new AssertionError("the run ended before " + mainClass + " started (see its log beside the test's folder)");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + mainClass + " within " + limitSeconds + " s");
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
