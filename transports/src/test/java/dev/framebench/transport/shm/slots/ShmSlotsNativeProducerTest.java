package dev.framebench.transport.shm.slots;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.Crc32c;
import dev.framebench.frame.FrameConsumer;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.TransportOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The layout docs/WIRE.md documents for {@code shm-slots} is enough for a peer outside the JVM: a producer
 * in C ({@code src/test/c/shm_slots_producer.c}, C11 atomics and libc, written from WIRE.md) feeds a real
 * receiver opened in this JVM, and every frame passes {@code --consume verify}; given the wrong token it is
 * refused and counted. gcc is a build requirement of the tests (scripts/test.sh installs Debian's gcc):
 * without it this test fails, it does not skip.
 */
class ShmSlotsNativeProducerTest {
    private static final FramePreset PRESET = FramePreset.P720_I420;
    private static final int SLOTS = 4;
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final RunToken TOKEN = RunToken.random();

    private static Path buildDir;
    private static Path producer;
    private final ShmSlotsTransport transport = new ShmSlotsTransport();

    @BeforeAll
    static void compileTheProducer() throws Exception {
        Path source = Path.of("src", "test", "c", "shm_slots_producer.c").toAbsolutePath();
        assertTrue(Files.isRegularFile(source), "no C producer at " + source + " (run from the transports module)");
        String gcc = onPath("gcc");
        if (gcc == null) {
            fail("gcc not found on PATH: the shm-slots C producer test needs it; scripts/test.sh installs Debian's gcc (apt-get install gcc)");
        }
        buildDir = Files.createTempDirectory("framebench-slots-c-");
        producer = buildDir.resolve("shm_slots_producer");
        Process cc = new ProcessBuilder(gcc, "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", producer.toString(), source.toString())
                .redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cc.waitFor(), "gcc failed:\n" + out);
    }

    @AfterAll
    static void removeTheBuild() throws IOException {
        if (buildDir != null) {
            try (Stream<Path> paths = Files.walk(buildDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void everyFrameOfTheCProducerArrivesInOrderAndVerifies() throws Exception {
        int frames = 3 * SLOTS + 1;
        try (FrameReceiver receiver = openReceiver()) {
            Process c = startProducer(receiver.endpoint(), frames, TOKEN.hex());
            receiver.awaitSender(Deadline.after(LONG));
            List<Integer> pictureCrcs = javaPictureCrcs();
            FrameConsumer verify = ConsumeMode.VERIFY.newConsumer();
            for (long sequence = 0; sequence < frames; sequence++) {
                MemorySegment frame = receiver.receive(Deadline.after(LONG));
                assertNotNull(frame, "frame " + sequence + " of " + frames);
                verify.consume(frame);
                assertEquals(sequence, FrameHeader.sequence(frame));
                assertEquals(PRESET.frameBytes(), frame.byteSize());
                // The slots come back in order, so frame k is in slot k mod SLOTS, where C rendered picture k mod SLOTS.
                assertEquals(pictureCrcs.get((int) (sequence % SLOTS)), FrameHeader.payloadCrc32c(frame),
                        "C renders framebench's own test pattern (TestPattern.java), picture = slot");
                receiver.release();
            }
            assertNull(receiver.receive(Deadline.after(LONG)), "the C producer ends the stream cleanly");
            Exit exit = exit(c);
            assertEquals(0, exit.status(), exit.stderr());
            assertEquals(0, receiver.foreignConnectionsRefused());
        }
    }

    @Test
    void aCProducerWithTheWrongTokenIsRefusedAndCountedAndTheRightOneIsThenTaken() throws Exception {
        try (FrameReceiver receiver = openReceiver(); ShmSlots raw = ShmSlots.attach(Path.of(receiver.endpoint()))) {
            Process stranger = startProducer(receiver.endpoint(), 3, RunToken.random().hex());
            // The stranger claims first (it waits to be accepted: nobody polls yet); the run's producer then waits
            // for that claim to be evicted. Both run before the receiver looks, so the order is fixed.
            while (raw.producerPidAcquire() != stranger.pid()) {
                if (!stranger.isAlive()) {
                    fail("the stranger exited before claiming: " + exit(stranger));
                }
                Thread.onSpinWait();
            }
            Process c = startProducer(receiver.endpoint(), 3, TOKEN.hex());
            receiver.awaitSender(Deadline.after(LONG));
            Exit refused = exit(stranger);
            assertEquals(3, refused.status(), "refused: exit status 3; " + refused.stderr());
            assertTrue(refused.stderr().contains("refused this producer's hello"), refused.stderr());
            assertEquals(1, receiver.foreignConnectionsRefused());

            FrameConsumer verify = ConsumeMode.VERIFY.newConsumer();
            for (long sequence = 0; sequence < 3; sequence++) {
                MemorySegment frame = receiver.receive(Deadline.after(LONG));
                assertNotNull(frame);
                verify.consume(frame);
                receiver.release();
            }
            assertNull(receiver.receive(Deadline.after(LONG)));
            Exit exit = exit(c);
            assertEquals(0, exit.status(), exit.stderr());
            assertEquals(1, receiver.foreignConnectionsRefused());
        }
    }

    private FrameReceiver openReceiver() {
        return transport.openReceiver(TransportOptions.parse("slots=" + SLOTS + ";token=" + TOKEN.hex()), PRESET.frameBytes());
    }

    private static List<Integer> javaPictureCrcs() {
        List<Integer> crcs = new ArrayList<>();
        try (FramePool pool = new FramePool(PRESET, SLOTS)) {
            for (int i = 0; i < SLOTS; i++) {
                crcs.add(Crc32c.of(pool.frame(i).asSlice(FrameHeader.LENGTH)));
            }
        }
        return crcs;
    }

    private static Process startProducer(String endpoint, int frames, String tokenHex) throws IOException {
        return new ProcessBuilder(producer.toString(), endpoint, PRESET.presetName(), Integer.toString(frames), tokenHex)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private record Exit(int status, String stderr) {
    }

    /** Waits for the producer (its stderr read to the end first: it is a few lines at most) and kills one that hangs. */
    private static Exit exit(Process process) throws IOException, InterruptedException {
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!process.waitFor(LONG.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the C producer did not exit within " + LONG);
        }
        return new Exit(process.exitValue(), stderr.join());
    }

    private static String onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
