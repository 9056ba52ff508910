package dev.framebench.harness.faults;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FrameConsumer;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.session.FrameSession;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.time.Duration;

/**
 * The receiver JVM of a fault scenario: what a JMH fork does in {@code FrameThroughputBenchmark} (one
 * {@link FrameSession}, a sender peer JVM, verify mode), minus JMH, so a scenario costs two JVM starts
 * instead of a whole benchmark run. It prints {@code RIG READY sender=<pid>} once frames flow, receives
 * until the stream fails, and then prints the run's one failure line to stderr and exits 1, as the
 * fork's failure reaches JMH.
 *
 * <p>Arguments: transport, frame preset, timeout seconds, transport options ({@code k=v;k=v} or {@code -}).
 */
public final class FaultRig {
    private FaultRig() {
    }

    public static void main(String[] args) {
        String transport = args[0];
        FramePreset preset = FramePreset.byName(args[1]);
        Duration timeout = Duration.ofSeconds(Long.parseLong(args[2]));
        TransportOptions options = TransportOptions.parse(args[3].equals("-") ? "" : args[3]);
        FrameConsumer verifier = ConsumeMode.VERIFY.newConsumer();
        int status = 0;
        try (FrameSession session = FrameSession.open(TransportRegistry.byName(transport), preset, options, timeout)) {
            System.out.println("RIG READY sender=" + session.describe().get("sender").replace("jvm pid ", ""));
            System.out.flush();
            long sink = 0;
            try {
                while (true) {
                    sink += verifier.consume(session.receive());
                    session.release();
                    if (sink == Long.MIN_VALUE) {
                        System.out.println(sink);
                    }
                }
            } catch (TransportException e) {
                // Said before the session closes (which may take a stalled peer's kill), as a fork's failure is.
                System.err.println("framebench: " + e.getMessage());
                System.err.flush();
                status = 1;
            }
        } catch (TransportException e) {
            System.err.println("framebench: " + e.getMessage());
            status = 1;
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }
}
