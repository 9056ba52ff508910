package dev.framebench.harness.faults;

import dev.framebench.harness.cli.Main;
import dev.framebench.harness.peer.Jvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A profiled run where async-profiler cannot load (as on a musl system, or a CPU it has no build for): the
 * run still measures and writes every figure, says in one line why there are no flame graphs and how to get
 * them, and exits 3, so a caller that asked for flames cannot mistake the run for a complete one.
 */
@Tag("faults")
class ProfilerCannotLoadFaultTest {
    @AfterAll
    static void writeMatrix() {
        FaultMatrix.write();
    }

    @Test
    void aProfiledRunWithoutAProfilerWritesItsFiguresSaysWhyInOneLineAndExits3(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        List<String> command = new ArrayList<>(List.of(Jvm.javaBinary(), "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx512m",
                // async-profiler loads this path instead of its bundled library: the load fails as on a musl system.
                "-Done.profiler.libraryPath=" + dir.resolve("no-such-libasyncProfiler.so")));
        if (System.getProperty("jmh.ignoreLock") != null) {
            command.add("-Djmh.ignoreLock=" + System.getProperty("jmh.ignoreLock"));
        }
        command.addAll(List.of("-cp", Jvm.classPath(), Main.class.getName(), "bench", "--profile", "smoke", "--transport", "tcp",
                "--frame", "720p-i420", "--warmup-iterations", "1", "--iterations", "1", "--no-baseline", "--flames", "--out", out.toString()));
        String observed = "";
        boolean passed = false;
        long started = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "bench did not finish");
            String err = stderr.get();
            List<String> flameLines = err.lines().filter(l -> l.contains("flame")).toList();
            observed = "exit " + p.exitValue() + ": " + String.join(" ", flameLines)
                    + (Files.exists(out.resolve("jmh.json")) ? "; jmh.json and summary.txt written, no flames/" : "; NO results");
            assertEquals(3, p.exitValue(), err + stdout.get());
            assertEquals(1, flameLines.size(), err);
            String line = flameLines.getFirst();
            assertTrue(line.startsWith("framebench: warning: no flame graphs: async-profiler cannot load"), line);
            assertTrue(line.contains("exits 3") && line.contains("without --flames"), "says what it means and how to fix it: " + line);
            assertFalse(Files.exists(out.resolve("flames")), "flames/ without a profiler");
            assertTrue(Files.exists(out.resolve("jmh.json")));
            assertFalse(Files.readString(out.resolve("summary.txt")).contains("PROFILED"));
            passed = true;
        } finally {
            FaultMatrix.record(BadInputFaultTest.SECTION, "a profiler that cannot load", "tcp", passed,
                    (System.nanoTime() - started) / 1_000_000, observed.replace(dir.toString(), "DIR"));
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
