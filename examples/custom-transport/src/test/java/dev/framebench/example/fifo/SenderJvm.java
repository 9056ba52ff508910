package dev.framebench.example.fifo;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.TransportOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fifo sender in a second JVM (same java, same class path), for tests that need a real other process,
 * or one to kill. It sends {@code frames} frames of {@link #PRESET}, then either closes the stream and
 * exits ({@link Ending#CLOSE}), or writes the first half of one more frame, says {@code HALF} on stdout
 * and waits, without closing, to be killed ({@link Ending#HALF_FRAME}).
 */
final class SenderJvm implements AutoCloseable {
    static final FramePreset PRESET = FramePreset.P1080_I420;

    enum Ending { CLOSE, HALF_FRAME }

    private final Process process;
    private final BufferedReader stdout;

    private SenderJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static SenderJvm start(String endpoint, int frames, Ending ending) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SenderJvm.class.getName(), endpoint, Integer.toString(frames), ending.name());
        return new SenderJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    long pid() {
        return process.pid();
    }

    /** Blocks until the sender has written its half frame; fails if it says anything else or exits first. */
    void awaitHalfFrame() throws IOException {
        String line = stdout.readLine();
        if (!"HALF".equals(line)) {
            throw new IllegalStateException("sender JVM pid " + pid() + " said " + line + " instead of HALF");
        }
    }

    /** The exit status, waiting at most 30 s for it. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sender JVM pid " + pid() + " still running after 30 s");
        }
        return process.exitValue();
    }

    /** SIGKILL: the sender gets no chance to finish its frame or close. Returns once the process is gone. */
    void kill() {
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
        String endpoint = args[0];
        int frames = Integer.parseInt(args[1]);
        Ending ending = Ending.valueOf(args[2]);
        FrameSender sender = new FifoTransport().openSender(endpoint, TransportOptions.NONE);
        try (FramePool pool = new FramePool(PRESET)) {
            for (int sequence = 0; sequence < frames; sequence++) {
                sender.send(pool.stamp(0, sequence, System.nanoTime()), Deadline.after(Duration.ofSeconds(30)));
            }
            if (ending == Ending.CLOSE) {
                sender.close();
                System.exit(0);
            }
            MemorySegment next = pool.stamp(0, frames, System.nanoTime());
            sender.send(next.asSlice(0, next.byteSize() / 2), Deadline.after(Duration.ofSeconds(30)));
        }
        System.out.println("HALF");
        System.out.flush();
        // Never closes the sender: waits for the kill, or exits when the test JVM goes away.
        int unused = System.in.read();
        System.exit(3);
    }
}
