package dev.framebench.harness.faults;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.harness.peer.SendLoop;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every corruption the test-only sender fault makes, over every transport: the verifying receiver
 * catches it at the corrupted frame and names stream, sequence, field, expected and actual. Both ends
 * run in this JVM (real sockets, real mappings, the real verifier) so the 7 x 12 cases take seconds;
 * {@link SenderFaultAcrossJvmsTest} proves the same option reaches a sender in its own JVM.
 */
@Tag("faults")
class CorruptionFaultTest {
    static final String SECTION = "3. Corruption (verify mode)";
    static final long FAULT_SEQUENCE = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern REPORT = Pattern.compile("stream=(-?\\d+) sequence=(-?\\d+) field=(\\S+) expected=(.+?) actual=(\\S+)");

    static Stream<Arguments> faultsByTransport() {
        return Stream.of(SenderFault.Kind.values()).flatMap(kind -> TransportRegistry.all().stream().map(t -> Arguments.of(kind, t)));
    }

    @AfterAll
    static void writeMatrix() {
        FaultMatrix.write();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("faultsByTransport")
    void verifyModeNamesTheCorruptedFrameAndField(SenderFault.Kind kind, Transport transport) throws InterruptedException {
        SenderFault fault = new SenderFault(kind, FAULT_SEQUENCE);
        Path dir = RigRun.privateDir(transport.name());
        String observed = "";
        boolean passed = false;
        long started = System.nanoTime();
        long millis = -1;
        TransportOptions options = TransportOptions.parse(RigRun.privateOptions(transport, dir));
        FramePreset preset = FramePreset.P720_I420;
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        Thread senderThread = null;
        // Closed only once the sender thread is done with it, after the receiver's close has unblocked it.
        FramePool pool = new FramePool(preset);
        try (FrameReceiver receiver = transport.openReceiver(options, preset.frameBytes())) {
            // The frame after the fault too: a stream transport completes a short frame from the next one's bytes.
            senderThread = new Thread(() -> {
                try (FrameSender sender = SenderFault.wrap(transport.openSender(receiver.endpoint(), options), fault)) {
                    new SendLoop(sender, pool, 0, FAULT_SEQUENCE + 2, TIMEOUT).run();
                } catch (Throwable t) {
                    senderFailure.set(t);
                }
            }, "corruption-sender");
            senderThread.setDaemon(true);
            senderThread.start();
            receiver.awaitSender(System.nanoTime() + TIMEOUT.toNanos());
            FrameVerifier verifier = new FrameVerifier();
            String failure = null;
            long frames = 0;
            try {
                while (frames <= FAULT_SEQUENCE + 1) {
                    MemorySegment frame = receiver.receive(System.nanoTime() + TIMEOUT.toNanos());
                    if (frame == null) {
                        break;
                    }
                    verifier.verify(frame);
                    receiver.release();
                    frames++;
                }
            } catch (TransportException e) {
                // The verifier's own exception, or the transport's framing check, possibly wrapped: the line is what counts.
                failure = e.getMessage();
            }
            millis = (System.nanoTime() - started) / 1_000_000;
            observed = failure == null ? "not detected: " + frames + " frames verified" : failure;
            Matcher m = REPORT.matcher(observed);
            assertTrue(m.find(), transport.name() + ": " + kind.optionName() + " not reported as stream/sequence/field/expected/actual: " + observed);
            assertEquals("0", m.group(1), observed);
            String field = m.group(3);
            assertTrue(kind.detectedAs().contains(field), kind + " reported as " + field + ": " + observed);
            if (field.equals("sequence")) {
                // The header's sequence is the wrong one; what was expected is the corrupted frame's.
                assertEquals(Long.toString(FAULT_SEQUENCE), m.group(4), observed);
            } else {
                assertEquals(Long.toString(FAULT_SEQUENCE), m.group(2), observed);
            }
            assertFalse(m.group(4).equals(m.group(5)), observed);
            assertEquals(FAULT_SEQUENCE, frames, "frames before the corrupted one were accepted");
            passed = true;
        } finally {
            if (senderThread != null) {
                senderThread.join(TIMEOUT.toMillis() * 2);
                if (senderThread.isAlive()) {
                    passed = false;
                    observed += " [sender thread still blocked after the receiver closed]";
                }
            }
            if (senderThread == null || !senderThread.isAlive()) {
                pool.close();
            }
            boolean empty;
            try (var left = java.nio.file.Files.list(dir)) {
                empty = left.findAny().isEmpty();
            } catch (java.io.IOException e) {
                empty = false;
            }
            if (!empty) {
                passed = false;
                observed += " [files left in " + dir + "]";
            }
            RigRun.deleteTree(dir);
            FaultMatrix.record(SECTION, kind.optionName(), transport.name(), passed, millis, observed);
        }
        assertTrue(passed, observed);
    }
}
