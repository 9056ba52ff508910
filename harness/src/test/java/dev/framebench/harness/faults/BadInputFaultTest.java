package dev.framebench.harness.faults;

import dev.framebench.harness.cli.Main;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input, as a user types it: each case runs the real command line and must give exactly one line
 * on stderr that says what is wrong and how to fix it, a non-zero exit, nothing on stdout, and no
 * results folder or file. A case is {@code (name, transport, args)} where {@code args} is built from a
 * private folder of its own.
 */
@Tag("faults")
class BadInputFaultTest {
    static final String SECTION = "4. Bad input";

    /** @param testFault the {@link SenderFault#PROPERTY} this case runs with, or null */
    record Case(String name, String transport, Function<Path, List<String>> args, String expect, String testFault) {
        Case(String name, String transport, Function<Path, List<String>> args, String expect) {
            this(name, transport, args, expect, null);
        }

        @Override
        public String toString() {
            return name + " (" + transport + ")";
        }
    }

    private static final String LONG_DIR = "/tmp/" + "d".repeat(110);

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("unknown transport", "-", d -> List.of("bench", "--transport", "smoke-signals", "--out", d.resolve("r").toString()),
                "unknown transport 'smoke-signals'; valid transports: "));
        cases.add(new Case("empty frame list", "-", d -> List.of("bench", "--frame", ",", "--out", d.resolve("r").toString()),
                "bad value frames=,: an empty item"));
        cases.add(new Case("transport listed twice", "-", d -> List.of("bench", "--transport", "tcp,tcp", "--out", d.resolve("r").toString()),
                "bad value transports=tcp,tcp: 'tcp' is listed twice"));
        cases.add(new Case("unknown frame", "-", d -> List.of("bench", "--frame", "8k", "--out", d.resolve("r").toString()),
                "unknown frame '8k'; valid frames: "));
        cases.add(new Case("unknown profile", "-", d -> List.of("bench", "--profile", "nightly-typo", "--out", d.resolve("r").toString()),
                "unknown profile 'nightly-typo'"));
        cases.add(new Case("unknown profile key", "-", d -> List.of("bench", "--profile", writeProfile(d, "frams=1080p-i420\n"),
                "--out", d.resolve("r").toString()), "unknown key 'frams'; valid keys: "));
        cases.add(new Case("unknown option key", "-", d -> List.of("bench", "--transport", "tcp", "--options", "tcp.nodelay=false",
                "--out", d.resolve("r").toString()), "unknown transport option 'tcp.nodelay' for tcp; valid options: "));
        // Checked before the first benchmark, so no benchmark runs only to be thrown away.
        cases.add(new Case("bad option value, before any benchmark", "tcp,uds-jdk,shm-ffm", d -> List.of("bench", "--transport", "tcp,uds-jdk,shm-ffm",
                "--options", "idle=sleepy", "--out", d.resolve("r").toString()), "bad value for option idle: idle=sleepy"));
        cases.add(new Case("bad option value, before any benchmark", "shm-ffm", d -> List.of("bench", "--transport", "tcp,shm-ffm",
                "--options", "shm.ringBytes=1000", "--out", d.resolve("r").toString()), "shm.ringBytes=1000; allowed: a power of two"));
        cases.add(new Case("bad option value, before any benchmark", "ws-netty", d -> List.of("bench", "--transport", "tcp,ws-netty",
                "--options", "ws.fragment=-1", "--out", d.resolve("r").toString()), "ws.fragment=-1"));
        cases.add(new Case("bad option value, before any benchmark", "tcp", d -> List.of("bench", "--transport", "inproc-copy,tcp",
                "--options", "tcp.io=", "--out", d.resolve("r").toString()), "bad value for option tcp.io: tcp.io=;"));
        cases.add(new Case("bad option value, before any benchmark", "shm-ffm", d -> List.of("paced", "--transport", "shm-ffm",
                "--options", "idle=sleepy", "--out", d.resolve("r").toString()), "bad value for option idle: idle=sleepy"));
        cases.add(new Case("unknown consume mode", "-", d -> List.of("bench", "--consume", "peek", "--out", d.resolve("r").toString()),
                "unknown consume mode 'peek'; valid modes: none, read, verify"));
        cases.add(new Case("results folder cannot be written", "-", d -> List.of("bench", "--transport", "tcp", "--out", "/proc/sys/framebench-results"),
                "cannot write results"));
        cases.add(new Case("unknown test fault", "tcp", d -> List.of("send", "--transport", "tcp", "--connect", "127.0.0.1:1"),
                "unknown test fault 'bit-rot'; valid: ", "bit-rot@3"));
        cases.add(new Case("frame larger than ring", "shm-ffm", d -> receive("shm-ffm", d, "shm.dir=" + d + ";shm.ringBytes=1048576"),
                "frame does not fit ring: frameBytes="));
        cases.add(new Case("frame larger than ring", "shm-agrona", d -> receive("shm-agrona", d, "shm.dir=" + d + ";shm.ringBytes=1048576"),
                "frame does not fit ring: frameBytes="));
        cases.add(new Case("frame larger than ring", "aeron-ipc", d -> receive("aeron-ipc", d, "shm.dir=" + d + ";aeron.termBytes=65536"),
                "aeron.termBytes"));
        for (Transport t : TransportRegistry.all()) {
            if (t.options().containsKey("listen") && !t.name().startsWith("uds")) {
                cases.add(new Case("port in use", t.name(), d -> receive(t.name(), d, "listen=127.0.0.1:" + BUSY_PORT),
                        "cannot listen on 127.0.0.1:" + BUSY_PORT + ": "));
            }
            if (t.name().startsWith("uds")) {
                cases.add(new Case("socket path over 108 bytes", t.name(), d -> receive(t.name(), d, "listen=" + LONG_DIR + "/frames.sock"),
                        "socket path too long for listen: "));
                cases.add(new Case("socket folder making a path over 108 bytes", t.name(), d -> receive(t.name(), d, "uds.dir=" + LONG_DIR),
                        "socket path too long for uds.dir: "));
            }
            for (String key : List.of("shm.dir", "file.dir")) {
                if (t.options().containsKey(key)) {
                    cases.add(new Case("shared-memory folder missing", t.name(), d -> receive(t.name(), d, key + "=" + d.resolve("no-such-tmpfs")),
                            key));
                    // Root may write almost anywhere; /proc/sys refuses new files even to root.
                    cases.add(new Case("shared-memory folder not writable", t.name(), d -> receive(t.name(), d, key + "=/proc/sys"), "/proc/sys"));
                }
            }
        }
        return cases.stream().map(Arguments::of);
    }

    static final int BUSY_PORT;
    private static final ServerSocket BUSY;

    static {
        try {
            BUSY = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            BUSY_PORT = BUSY.getLocalPort();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static List<String> receive(String transport, Path dir, String options) {
        return List.of("receive", "--transport", transport, "--options", options, "--timeout-seconds", "2");
    }

    private static String writeProfile(Path dir, String text) {
        try {
            return Files.writeString(dir.resolve("typo.properties"), text).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void writeMatrix() throws IOException {
        BUSY.close();
        FaultMatrix.write();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsOneLineNonZeroExitAndNoResults(Case c) {
        Path dir = RigRun.privateDir("bad");
        String observed = "";
        boolean passed = false;
        long started = System.nanoTime();
        if (c.testFault() != null) {
            System.setProperty(SenderFault.PROPERTY, c.testFault());
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(c.args().apply(dir).toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String stderr = err.toString(StandardCharsets.UTF_8);
            observed = "exit " + status + ": " + stderr.strip();
            assertNotEquals(0, status, observed);
            assertEquals(1, stderr.lines().count(), "one line: " + stderr);
            assertTrue(stderr.startsWith("framebench: "), stderr);
            assertTrue(stderr.contains(c.expect()), "expected '" + c.expect() + "' in: " + stderr);
            assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing on stdout");
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().equals("typo.properties")).toList(), "no results, no files");
            }
            assertTrue(Files.notExists(Path.of("/proc/sys/framebench-results")));
            passed = true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            System.clearProperty(SenderFault.PROPERTY);
            RigRun.deleteTree(dir);
            FaultMatrix.record(SECTION, c.name(), c.transport(), passed, (System.nanoTime() - started) / 1_000_000, observed);
        }
    }

    /** The scripts refuse a JDK older than 25 before anything runs: offered only JDK 17, they say so and what to install. */
    @Test
    void scriptsRefuseAJdkOlderThan22() throws Exception {
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jdk17.resolve("bin/javac")), "no JDK 17 at " + jdk17);
        Path script = FramebenchRoot.find().resolve("scripts/framebench");
        String observed = "";
        boolean passed = false;
        long started = System.nanoTime();
        try {
            ProcessBuilder pb = new ProcessBuilder(script.toString(), "transports").redirectErrorStream(false);
            pb.environment().clear();
            pb.environment().put("PATH", jdk17.resolve("bin") + ":/usr/bin:/bin");
            pb.environment().put("HOME", System.getProperty("user.home"));
            pb.environment().put("JAVA_HOME", jdk17.toString());
            pb.environment().put("FB_JDK_SEARCH", jdk17.toString());
            Process p = pb.start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            observed = "exit " + p.exitValue() + ": " + stderr.strip();
            assertEquals(2, p.exitValue(), observed);
            assertEquals(1, stderr.lines().count(), stderr);
            assertTrue(stderr.startsWith("framebench: no JDK 25+ found (saw: " + jdk17 + "=17"), stderr);
            assertTrue(stderr.contains("install JDK 25"), stderr);
            assertEquals("", stdout);
            passed = true;
        } finally {
            FaultMatrix.record(SECTION, "a JDK older than 25", "-", passed, (System.nanoTime() - started) / 1_000_000, observed);
        }
    }

    /** A published run refuses the test-only fault injection, so a corrupted stream can never become a number. */
    @Test
    void benchRefusesTheTestOnlyFaultInjection() {
        Path dir = RigRun.privateDir("bad");
        String observed = "";
        boolean passed = false;
        long started = System.nanoTime();
        System.setProperty(SenderFault.PROPERTY, "flip-payload-bit@3");
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Main.run(new String[] {"bench", "--transport", "tcp", "--out", dir.resolve("r").toString()},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            String stderr = err.toString(StandardCharsets.UTF_8);
            observed = "exit " + status + ": " + stderr.strip();
            assertEquals(2, status, observed);
            assertEquals("framebench: framebench bench: the test-only fault injection framebench.test.fault is set; published runs refuse it,"
                    + " unset it (it exists for the fault suite only)" + System.lineSeparator(), stderr);
            assertTrue(Files.notExists(dir.resolve("r")));
            passed = true;
        } finally {
            System.clearProperty(SenderFault.PROPERTY);
            RigRun.deleteTree(dir);
            FaultMatrix.record(SECTION, "test-only fault in a published run", "-", passed, (System.nanoTime() - started) / 1_000_000, observed);
        }
    }
}
