package dev.framebench.harness.shm;

import dev.framebench.harness.peer.Jvm;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Main class of the stress test's producer JVM: attaches to the ring at {@code args[0]} with the options
 * {@code args[1]} and writes records 0 .. {@code args[2]} - 1 of {@link StressRecords} in place, then
 * closes; {@code args[2] = 0} writes until the process is killed, or its receiver dies.
 */
public final class ShmFfmStressProducer {
    private static final long CLAIM_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private ShmFfmStressProducer() {
    }

    static Process launch(String endpoint, TransportOptions options, long records) {
        try {
            return new ProcessBuilder(List.of(Jvm.javaBinary(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-cp", Jvm.classPath(), ShmFfmStressProducer.class.getName(), endpoint, options.toString(), Long.toString(records)))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        long records = Long.parseLong(args[2]);
        try (StressRecords stress = new StressRecords();
             FrameSender sender = TransportRegistry.byName("shm-ffm").openSender(args[0], TransportOptions.parse(args[1]))) {
            for (long n = 0; records == 0 || n < records; n++) {
                stress.write(sender.claim(StressRecords.size(n), System.nanoTime() + CLAIM_TIMEOUT_NANOS), n);
                sender.commit();
            }
        } catch (RuntimeException e) {
            System.err.println("stress producer: " + e.getMessage());
            System.exit(1);
        }
    }
}
