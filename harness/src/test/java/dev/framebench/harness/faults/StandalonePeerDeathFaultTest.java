package dev.framebench.harness.faults;

import dev.framebench.harness.run.StaleFiles;
import dev.framebench.harness.cli.Main;
import dev.framebench.harness.peer.Jvm;
import dev.framebench.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standalone peers: {@code framebench receive} SIGKILLed while {@code framebench send --frames 0}
 * streams to it, each in its own JVM. With no control channel between them, the sender must notice
 * through the transport itself (a broken connection, a dead ring consumer) and exit non-zero with one
 * line; the receiver's files are then removed by the stale sweep.
 */
@Tag("faults")
class StandalonePeerDeathFaultTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

    static Stream<Transport> twoJvmTransports() {
        return PeerDeathFaultTest.twoJvmTransports();
    }

    @AfterAll
    static void writeMatrix() {
        FaultMatrix.write();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoJvmTransports")
    void killedStandaloneReceiverMakesTheStandaloneSenderFail(Transport transport) throws Exception {
        Path dir = RigRun.privateDir("standalone-" + transport.name());
        Path receiveErr = dir.resolveSibling(dir.getFileName() + ".receive.stderr");
        Path sendErr = dir.resolveSibling(dir.getFileName() + ".send.stderr");
        String options = RigRun.privateOptions(transport, dir);
        String observed = "";
        boolean passed = false;
        long millis = -1;
        Process receiver = null;
        Process sender = null;
        try {
            receiver = cli(dir, receiveErr, "receive", "--transport", transport.name(), "--consume", "read", "--options", options);
            String endpoint = awaitEndpoint(receiveErr);
            sender = cli(dir, sendErr, "send", "--transport", transport.name(), "--connect", endpoint, "--frame", "720p-i420",
                    "--frames", "0", "--options", options);
            Thread.sleep(1500);
            assertTrue(sender.isAlive(), "the sender must be streaming: " + RigRun.read(sendErr));
            long killed = System.nanoTime();
            RigRun.signal("KILL", receiver.pid());
            millis = RigRun.awaitExit(sender.pid(), killed, 60);
            assertNotEquals(-1, millis, transport.name() + ": the standalone sender outlived its killed receiver by 60 s");
            sender.waitFor();
            String line = RigRun.lineWith(RigRun.read(sendErr), "framebench: ");
            observed = "send exit " + sender.exitValue() + ": " + line.replace(dir.toString(), "DIR");
            assertNotEquals(0, sender.exitValue(), observed);
            assertTrue(line.startsWith("framebench: "), observed);
            int removed = StaleFiles.sweep(Set.of(dir));
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "files left after the sweep");
            }
            observed += " [" + removed + " file(s) of the killed receiver removed by the stale sweep]";
            passed = true;
        } finally {
            for (Process p : new Process[] {receiver, sender}) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            RigRun.deleteTree(dir);
            Files.deleteIfExists(receiveErr);
            Files.deleteIfExists(sendErr);
            FaultMatrix.record(PeerDeathFaultTest.SECTION, "standalone receive killed (framebench send streaming)", transport.name(),
                    passed, millis, observed);
        }
    }

    private static Process cli(Path dir, Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Jvm.javaBinary(), "-Xms64m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + dir, "-cp", Jvm.classPath(), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String awaitEndpoint(Path stderr) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            Matcher m = LISTENING.matcher(RigRun.read(stderr));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("receiver never said where it listens: " + RigRun.read(stderr));
    }
}
