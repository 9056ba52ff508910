package dev.framebench.transport.shm.agrona;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sender in a second JVM, for tests that must kill one: it sends {@code frames} 720p frames, says
 * {@code SENT} on stdout, then waits on stdin, without closing, until it is killed or its parent exits.
 */
public final class SenderJvm implements AutoCloseable {
    public static final FramePreset PRESET = FramePreset.P720_I420;
    private final Process process;

    private SenderJvm(Process process) {
        this.process = process;
    }

    public static SenderJvm start(String transport, String endpoint, int frames) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", AgronaRuntime.JVM_OPTION, "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), SenderJvm.class.getName(), transport, endpoint, Integer.toString(frames));
        return new SenderJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    public long pid() {
        return process.pid();
    }

    /** Blocks until the sender has sent its frames; fails if it exits first. */
    public void awaitSent() throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"SENT".equals(line)) {
            throw new IllegalStateException("sender JVM pid " + pid() + " said " + line + " instead of SENT");
        }
    }

    /** SIGKILL: the sender gets no chance to close its stream. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    public static void main(String[] args) throws IOException {
        FrameSender sender = TransportRegistry.byName(args[0]).openSender(args[1], TransportOptions.NONE);
        try (FramePool pool = new FramePool(PRESET, 2)) {
            for (int sequence = 0; sequence < Integer.parseInt(args[2]); sequence++) {
                sender.send(pool.stamp(0, sequence, System.nanoTime()), Deadline.after(Duration.ofSeconds(30)));
            }
        }
        System.out.println("SENT");
        System.out.flush();
        // Never closes the sender: exits, abruptly, only when the parent goes away.
        int unused = System.in.read();
        System.exit(0);
    }
}
