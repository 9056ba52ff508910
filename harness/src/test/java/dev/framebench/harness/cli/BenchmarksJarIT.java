package dev.framebench.harness.cli;

import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.peer.Jvm;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged harness/target/benchmarks.jar, as users and JMH forks run it (after {@code package}; run by
 * failsafe). Shading can lose what the class path has (multi-release classes, service files, manifest
 * options), so every transport sends a few verified frames through two JVMs started from the jar alone.
 */
class BenchmarksJarIT {
    private static final Path JAR = FramebenchHome.root().resolve("harness/target/benchmarks.jar");

    @Test
    void listsTheBenchmarksAsAPlainJmhJar() throws Exception {
        Process jmh = new ProcessBuilder(Jvm.javaBinary(), "-jar", JAR.toString(), "-l").redirectErrorStream(true).start();
        String out = new String(jmh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jmh.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, jmh.exitValue(), out);
        assertTrue(out.contains("dev.framebench.harness.jmh.FrameThroughputBenchmark.receiveFrame"), out);
        assertTrue(out.contains("dev.framebench.harness.jmh.MemcpyBaseline.copyFrame"), out);
    }

    /** An old java reaches the jar's Java 8 entry point and is told, in one line, which JDK to use. */
    @Test
    void anOldJdkIsToldInOneLineWhichJdkToUse() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "no JDK 17 at " + java17);
        Process old = new ProcessBuilder(java17.toString(), "-jar", JAR.toString(), "-l").start();
        assertTrue(old.waitFor(60, TimeUnit.SECONDS));
        String err = new String(old.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(old.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, old.exitValue(), err + out);
        assertEquals("", out, "JMH must not start: it would list benchmarks whose forks cannot load");
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("framebench: this is Java 17"), err);
        assertTrue(err.contains("needs JDK 25 or newer") && err.contains("scripts/bench.sh"), err);
    }

    @Test
    void everyStandaloneTransportCarriesVerifiedFramesFromTheJar() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "build the jar first (mvn package): " + JAR);
        for (String transport : List.of("tcp", "tcp-netty", "uds-jdk", "uds-junix", "ws-javaws", "ws-netty",
                "shm-ffm", "shm-agrona", "aeron-ipc", "file-handoff", "s3-handoff")) {
            Process receiver = start("receive", "--transport", transport, "--frames", "20", "--consume", "verify");
            try {
                String endpoint = listeningOn(receiver);
                Process sender = start("send", "--transport", transport, "--connect", endpoint, "--frame", "720p-i420", "--frames", "20");
                assertTrue(sender.waitFor(60, TimeUnit.SECONDS), transport + " sender finished");
                assertEquals(0, sender.exitValue(), transport + ": " + new String(sender.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                assertTrue(receiver.waitFor(60, TimeUnit.SECONDS), transport + " receiver finished");
                String line = new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertEquals(0, receiver.exitValue(), transport + ": " + line);
                assertTrue(line.contains("\"frames\":20,") && line.endsWith("\"errors\":0}"), transport + ": " + line);
            } finally {
                receiver.destroyForcibly();
            }
        }
    }

    private static Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Jvm.javaBinary(), "-cp", JAR.toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static String listeningOn(Process receiver) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(receiver.getErrorStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on (\\S+)");
        String line;
        while ((line = err.readLine()) != null) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("receiver exited without saying where it listens");
    }
}
