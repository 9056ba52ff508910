package dev.framebench.harness.session;

import dev.framebench.error.TransportException;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.harness.faults.SenderFault;
import dev.framebench.harness.peer.SendLoop;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The python receiver's framing check and {@code --consume verify} name every corruption of the fault suite
 * in the very line a JVM receiver does: the same sender fault, over ws-netty, once into the JVM's ws-netty
 * receiver with {@link FrameVerifier} and once into the python receiver, must fail with equal messages.
 */
class PythonReceiverVerifyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final FramePreset PRESET = FramePreset.P720_I420;
    private static final long FAULT_SEQUENCE = 2;

    @ParameterizedTest(name = "{0}")
    @EnumSource(SenderFault.Kind.class)
    void namesEveryCorruptionAsTheJvmReceiverDoes(SenderFault.Kind kind) throws InterruptedException {
        Transport transport = TransportRegistry.byName("ws-netty");
        SenderFault fault = new SenderFault(kind, FAULT_SEQUENCE);
        String jvm;
        try (FrameReceiver receiver = transport.openReceiver(TransportOptions.NONE, PRESET.frameBytes())) {
            jvm = firstFailure(transport, receiver, fault, new FrameVerifier());
        }
        String python;
        long pid;
        try (PythonReceiver receiver = PythonReceiver.open(transport, PRESET, ConsumeMode.VERIFY, TransportOptions.NONE, TIMEOUT)) {
            pid = receiver.pid();
            python = firstFailure(transport, receiver, fault, null);
        }
        assertTrue(jvm.startsWith("frame verification failed: stream=0 "), jvm);
        assertEquals(jvm, python, kind + ": the python receiver names it as the JVM's does");
        PythonReceiverTest.assertGone(pid);
    }

    /** Sends frames 0..FAULT_SEQUENCE+1 with the fault, receives until the first failure and returns its line. */
    private static String firstFailure(Transport transport, FrameReceiver receiver, SenderFault fault, FrameVerifier verifier)
            throws InterruptedException {
        Thread sender;
        try (FramePool pool = new FramePool(PRESET)) {
            sender = new Thread(() -> {
                try (FrameSender s = SenderFault.wrap(transport.openSender(receiver.endpoint(), TransportOptions.NONE), fault)) {
                    new SendLoop(s, pool, 0, FAULT_SEQUENCE + 2, TIMEOUT).run();
                } catch (RuntimeException expected) {
                    // The receiver may close on it mid-frame: what counts is what the receiver says.
                }
            }, "python-verify-sender");
            sender.setDaemon(true);
            sender.start();
            receiver.awaitSender(System.nanoTime() + TIMEOUT.toNanos());
            long frames = 0;
            try {
                while (true) {
                    MemorySegment frame = receiver.receive(System.nanoTime() + TIMEOUT.toNanos());
                    assertFalse(frame == null, "the stream ended without a failure after " + frames + " frames");
                    if (verifier != null) {
                        verifier.verify(frame);
                    }
                    receiver.release();
                    frames++;
                }
            } catch (TransportException e) {
                // A framing failure reaches a JVM receiver's caller wrapped, a verify failure as it is: the line is what counts.
                assertEquals(FAULT_SEQUENCE, frames, "frames before the corrupted one passed");
                return e.getMessage();
            } finally {
                receiver.close();
                sender.join(TIMEOUT.toMillis());
            }
        }
    }
}
