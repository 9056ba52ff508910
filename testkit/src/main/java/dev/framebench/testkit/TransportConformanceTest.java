package dev.framebench.testkit;

import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.harness.session.FrameSession;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.error.TransportTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every transport must do, checked the way a benchmark uses it: a receiver in this JVM, the sender
 * in a second JVM launched exactly as the benchmark launches it (the same java and class path; a thread
 * for single-process transports), frames verified byte for byte.
 *
 * <p>A transport's test subclasses this and supplies only the factory, inside this repository or outside
 * it (artifact {@code dev.framebench:framebench-testkit}, test scope; {@code examples/custom-transport}
 * shows how). The transport must also be registered for {@link java.util.ServiceLoader} under
 * {@code META-INF/services/dev.framebench.transport.Transport}, because the sender JVM finds it by name.
 *
 * @implSpec Subclasses override {@link #transport()} and, where the transport needs options to run here,
 * {@link #options()}; nothing else. Every test method is inherited.
 */
public abstract class TransportConformanceTest {
    /** Enough frames to wrap any ring and exercise back-pressure, few enough for seconds per preset. */
    protected static final int FRAMES = 40;
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    protected abstract Transport transport();

    /** Options the transport runs with in this suite; none by default. */
    protected TransportOptions options() {
        return TransportOptions.NONE;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FramePreset.class)
    public void framesOfEveryPresetCrossCompleteInOrderAndIntact(FramePreset preset) {
        try (FrameSession session = FrameSession.open(transport(), preset, options(), TIMEOUT)) {
            FrameVerifier verifier = new FrameVerifier();
            for (long expected = 0; expected < FRAMES; expected++) {
                MemorySegment frame = session.receive();
                verifier.verify(frame);
                assertEquals(expected, FrameHeader.sequence(frame));
                assertEquals(preset.frameBytes(), frame.byteSize());
                assertTrue(frame.isReadOnly(), "receive must hand out a read-only view");
                session.release();
            }
            long drained = session.stopAndDrain(verifier::verify);
            assertEquals(session.senderStats().frames(), FRAMES + drained, "every frame sent was received once, and nothing else: "
                    + session.senderStats());
            assertEquals((long) FRAMES * preset.frameBytes(), session.bytesReceived());
        }
    }

    @Test
    public void senderRunsInASecondJvmUnlessSingleProcessByDesign() {
        try (FrameSession session = FrameSession.open(transport(), FramePreset.P720_I420, options(), TIMEOUT)) {
            session.receive();
            session.release();
            String sender = session.describe().get("sender");
            if (transport().singleProcess()) {
                assertEquals("thread", sender);
            } else {
                assertTrue(sender.startsWith("jvm pid "), sender);
                long pid = Long.parseLong(sender.substring("jvm pid ".length()));
                assertNotEquals(ProcessHandle.current().pid(), pid);
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "sender JVM alive while streaming");
                assertEquals(ProcessHandle.current().pid(), ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L),
                        "the receiver's JVM launched the sender");
            }
            assertTrue(session.sample().senderCpuNanos() > 0, "sender CPU is accounted");
        }
    }

    @Test
    public void rejectsAnUnknownOptionNamingTheValidOnes() {
        TransportOptions bogus = TransportOptions.parse("no.such.option=1");
        BadInputException e = assertThrows(BadInputException.class, () -> bogus.requireKnownBy(List.of(transport())));
        assertTrue(e.getMessage().startsWith("unknown transport option 'no.such.option' for " + transport().name() + "; valid options: "),
                e.getMessage());
    }

    @Test
    public void waitingForASenderThatNeverComesTimesOut() {
        try (FrameReceiver receiver = transport().openReceiver(options())) {
            assertThrows(TransportTimeoutException.class, () -> {
                receiver.awaitSender(Deadline.after(Duration.ofMillis(300)));
                receiver.receive(Deadline.after(Duration.ofMillis(300)));
            });
        }
    }
}
