package dev.framebench.harness.faults;

import dev.framebench.harness.cli.Main;
import dev.framebench.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test-only fault option reaches real senders: {@code framebench send} with {@code -Dframebench.test.fault} against
 * {@code framebench receive --consume verify} for every standalone transport (the kinds taken in turn),
 * and {@code -Dframebench.test.fault} on a sender peer JVM under the receiver JMH forks run.
 */
@Tag("faults")
class SenderFaultAcrossJvmsTest {
    /** Receive and send each need a thread of their own: the common pool may have only one on 2 cores. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-cli");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

    static Stream<Arguments> standaloneCases() {
        List<Transport> transports = PeerDeathFaultTest.twoJvmTransports().toList();
        SenderFault.Kind[] kinds = SenderFault.Kind.values();
        return Stream.iterate(0, i -> i < transports.size(), i -> i + 1).map(i -> Arguments.of(transports.get(i), kinds[i % kinds.length]));
    }

    @AfterAll
    static void writeMatrix() {
        FaultMatrix.write();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("standaloneCases")
    void standaloneSendWithATestFaultFailsTheVerifyingReceive(Transport transport, SenderFault.Kind kind) throws Exception {
        Path dir = RigRun.privateDir("cli");
        String observed = "";
        boolean passed = false;
        long started = System.nanoTime();
        long millis = -1;
        try {
            String options = RigRun.privateOptions(transport, dir);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CompletableFuture<Integer> receive = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"receive", "--transport",
                    transport.name(), "--consume", "verify", "--options", options, "--timeout-seconds", "10"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), THREADS);
            String endpoint = awaitEndpoint(err);
            ByteArrayOutputStream sendErr = new ByteArrayOutputStream();
            // framebench send opens its sender in this JVM: the fault hook reads the property there.
            System.setProperty(SenderFault.PROPERTY, kind.optionName() + "@3");
            CompletableFuture<Integer> send = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"send", "--transport",
                    transport.name(), "--connect", endpoint, "--frame", "720p-i420", "--frames", "20", "--options", options,
                    "--timeout-seconds", "5"},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(sendErr, true, StandardCharsets.UTF_8)),
                    THREADS);
            int received = receive.get(60, TimeUnit.SECONDS);
            millis = (System.nanoTime() - started) / 1_000_000;
            int sent = send.get(60, TimeUnit.SECONDS);
            String line = out.toString(StandardCharsets.UTF_8).strip();
            observed = "receive exit " + received + ": " + line.replace(dir.toString(), "DIR") + " (send exit " + sent + ": "
                    + sendErr.toString(StandardCharsets.UTF_8).strip().replace(dir.toString(), "DIR") + ")";
            assertEquals(1, received, observed);
            assertTrue(line.contains("\"errors\":1,\"error\":\""), line);
            assertTrue(line.matches(".*stream=0 sequence=[234] field=\\S+ expected=.* actual=.*"), line);
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "files left");
            }
            passed = true;
        } finally {
            System.clearProperty(SenderFault.PROPERTY);
            RigRun.deleteTree(dir);
            FaultMatrix.record(CorruptionFaultTest.SECTION, kind.optionName() + " via framebench send with -D" + SenderFault.PROPERTY, transport.name(),
                    passed, millis, observed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "shm-ffm"})
    void senderPeerWithTheFaultPropertyFailsTheForkLikeReceiver(String name) throws Exception {
        Transport transport = dev.framebench.transport.TransportRegistry.byName(name);
        String observed = "";
        boolean passed = false;
        long millis = -1;
        try (RigRun run = RigRun.start(transport, "720p-i420", 10, " -D" + SenderFault.PROPERTY + "=flip-payload-bit@40")) {
            long started = System.nanoTime();
            millis = run.awaitLine("framebench: ", started, 60);
            assertNotEquals(-1, millis, "no failure line");
            assertNotEquals(-1, RigRun.awaitExit(run.rigPid(), started, 60));
            observed = RigRun.lineWith(run.stderr(), "framebench: ").replace(run.privateDir.toString(), "DIR");
            assertEquals(1, run.rigExit(), observed);
            assertTrue(observed.contains("frame verification failed: stream=0 sequence=40 field=payloadCrc32c expected="), observed);
            assertEquals(List.of(), run.leftoverProcesses(10_000), "processes left");
            assertEquals(List.of(), run.leftoverFiles(), "files left");
            passed = true;
        } finally {
            FaultMatrix.record(CorruptionFaultTest.SECTION, "flip-payload-bit via -D" + SenderFault.PROPERTY + " on the sender peer JVM",
                    name, passed, millis, observed);
        }
    }

    private static String awaitEndpoint(ByteArrayOutputStream err) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            Matcher m = LISTENING.matcher(err.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("receiver never said where it listens: " + err.toString(StandardCharsets.UTF_8));
    }
}
