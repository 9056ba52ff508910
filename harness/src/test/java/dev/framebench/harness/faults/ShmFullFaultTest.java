package dev.framebench.harness.faults;

import dev.framebench.harness.cli.Main;
import dev.framebench.harness.peer.Jvm;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full /dev/shm: each transport that keeps its frames there is started as {@code framebench receive} in a
 * private mount namespace whose /dev/shm is a small tmpfs already filled to its last MiB, so the machine's
 * real /dev/shm is never touched. The receiver must refuse with one line naming the folder and the space,
 * exit 2, and leave nothing behind; without the check, a mapping the tmpfs cannot back kills the JVM with
 * SIGBUS on the first page written (aeron-ipc's driver did exactly that).
 */
@Tag("faults")
class ShmFullFaultTest {
    /** The tmpfs: 16 MiB, filled but for 1 MiB; every transport's default needs far more than that. */
    private static final String MOUNT_AND_FILL = "mount -t tmpfs -o size=16m,mode=1777 framebench-full /dev/shm"
            + " && dd if=/dev/zero of=/dev/shm/filler bs=1M count=15 status=none && exec \"$@\"";
    private static boolean namespaces;

    @BeforeAll
    static void probeMountNamespaces() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-Urm", "true").redirectErrorStream(true).start();
        namespaces = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    static Stream<String> transports() {
        return TransportRegistry.all().stream()
                .filter(t -> t.options().containsKey("shm.dir") || t.options().containsKey("file.dir"))
                .map(Transport::name);
    }

    @AfterAll
    static void writeMatrix() {
        if (!namespaces) {
            FaultMatrix.record(BadInputFaultTest.SECTION, "shared-memory folder full", transports().collect(Collectors.joining(", ")), true, -1,
                    "not tried here: 'unshare -Urm' (a private mount namespace for a small full tmpfs) is not allowed on this machine");
        }
        FaultMatrix.write();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aFullSharedMemoryFolderIsOneLineAndExit2(String transport) throws Exception {
        Assumptions.assumeTrue(namespaces, "unshare -Urm is not allowed here");
        List<String> command = new ArrayList<>(List.of("unshare", "-Urm", "sh", "-c", MOUNT_AND_FILL, "sh",
                Jvm.javaBinary(), "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", Jvm.classPath(), Main.class.getName(), "receive", "--transport", transport, "--timeout-seconds", "2"));
        String observed = "";
        boolean passed = false;
        long started = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "receive did not end within 60 s");
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            observed = "exit " + p.exitValue() + ": " + stderr.strip();
            assertEquals(2, p.exitValue(), observed + stdout);
            assertEquals(1, stderr.lines().count(), "one line: " + stderr);
            assertTrue(stderr.startsWith("framebench: not enough space in /dev/shm: need "), stderr);
            assertTrue(stderr.contains(" or set "), "names the option that moves it: " + stderr);
            assertEquals("", stdout, "nothing on stdout");
            // Whatever it wrote was in the namespace's own tmpfs, gone with the namespace; the real /dev/shm is never mounted over.
            passed = true;
        } finally {
            FaultMatrix.record(BadInputFaultTest.SECTION, "shared-memory folder full", transport, passed,
                    (System.nanoTime() - started) / 1_000_000, observed);
        }
    }
}
