package dev.framebench.harness.peer;

import dev.framebench.harness.util.ExitStatus;
import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import dev.framebench.harness.util.CpuPinning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A sender JVM launched by the receiver: same java binary and class path, its own JVM options, its
 * stdin and stdout the {@link ControlProtocol} channel, its stderr copied line by line to this JVM's.
 * {@link #close()} always leaves no process behind, and so does this JVM's exit: a shutdown hook kills
 * every peer still alive (SIGKILL, which also ends a stopped one).
 *
 * <p>The peer's stderr is a pipe of its own, never this JVM's inherited one: a peer that outlived its
 * receiver (stopped with SIGSTOP, say) would otherwise hold the JMH host's pipe from the fork open, and
 * the host would wait on it for ever.
 */
public final class PeerProcess implements AutoCloseable {
    /** JVM options of every peer; {@code -Dframebench.peer.jvmArgs="..."} appends more. */
    private static final List<String> PEER_JVM_ARGS = List.of("-Xms256m", "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");
    private static final String END_OF_OUTPUT = "\u0000EOF";

    private final Process process;
    private final String role;
    private final Writer commands;
    private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();

    /** Peers of this JVM still running: the shutdown hook's list. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PeerProcess::killLive, "framebench-peer-reaper"));
    }

    private PeerProcess(Process process, String role) {
        this.process = process;
        this.role = role;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        Thread reader = new Thread(this::readReplies, "framebench-peer-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread diagnostics = new Thread(this::copyDiagnostics, "framebench-peer-" + process.pid() + "-stderr");
        diagnostics.setDaemon(true);
        diagnostics.start();
    }

    /** Kills every peer still alive, and what each started: this JVM is exiting, and no sender may outlive it. */
    private static void killLive() {
        for (Process p : LIVE) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    public static PeerProcess launch(String role, Class<?> mainClass, List<String> arguments) {
        return launch(role, mainClass, arguments, Map.of());
    }

    /**
     * Launches with {@code environment} added to this JVM's: how a secret (the run's token) reaches the
     * peer, since a command line is readable by every local user in /proc and an environment only by its owner.
     */
    public static PeerProcess launch(String role, Class<?> mainClass, List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaBinary());
        command.addAll(PEER_JVM_ARGS);
        String extra = System.getProperty("framebench.peer.jvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        // The run's CPU pinning, resolved once by the command: a sender peer pins itself to the sender's CPUs.
        String pin = System.getProperty(CpuPinning.PROPERTY);
        if (pin != null) {
            command.add("-D" + CpuPinning.PROPERTY + "=" + pin);
        }
        command.add("-cp");
        command.add(Jvm.classPath());
        command.add(mainClass.getName());
        command.addAll(arguments);
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            environment.forEach(builder.environment()::put);
            Process process = builder.start();
            return new PeerProcess(process, role);
        } catch (IOException e) {
            throw new TransportException("cannot start the " + role + " JVM (" + command.getFirst() + "): " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void command(String line) {
        try {
            commands.write(line);
            commands.write('\n');
            commands.flush();
        } catch (IOException e) {
            throw new TransportException("cannot send " + line + " to the " + role + " JVM pid " + pid() + ": it " + exitDescription(1000), e);
        }
    }

    /** The next reply starting with {@code keyword}; an ERROR reply, an exit or the deadline fails. */
    public String await(String keyword, long deadlineNanos) {
        while (true) {
            String line;
            try {
                line = replies.poll(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted waiting for " + keyword + " from the " + role + " JVM pid " + pid());
            }
            if (line == null) {
                throw new TransportTimeoutException("timed out waiting for " + keyword + " from the " + role + " JVM pid " + pid()
                        + (process.isAlive() ? " (alive but silent: stalled?)" : ": it " + exitDescription(0)));
            }
            if (line.equals(END_OF_OUTPUT)) {
                replies.offer(END_OF_OUTPUT);
                throw new TransportException("the " + role + " JVM pid " + pid() + " " + exitDescription(2000) + " before " + keyword);
            }
            if (line.startsWith(ControlProtocol.ERROR)) {
                throw new TransportException(role + " failed: " + line.substring(ControlProtocol.ERROR.length()).trim());
            }
            if (line.startsWith(keyword)) {
                return line.substring(keyword.length()).trim();
            }
        }
    }

    /** How the process ended, waiting up to {@code waitMillis} for it to end: "exited with status 1", "was killed by signal 9 (SIGKILL)". */
    public String exitDescription(long waitMillis) {
        return exitedAs(waitMillis).orElse("is still running");
    }

    /** How the process ended, waiting up to {@code waitMillis}; empty while it still runs. */
    public Optional<String> exitedAs(long waitMillis) {
        return ExitStatus.of(process, waitMillis);
    }

    /** Closes the peer's stdin, as the receiver's death would: the peer must exit by itself. */
    public void closeCommands() {
        try {
            commands.close();
        } catch (IOException ignored) {
            // Already closed, or the peer is gone: either way it has no command channel now.
        }
    }

    /** Waits up to {@code millis} for a clean exit, then terminates, then kills. */
    @Override
    public void close() {
        close(5_000);
    }

    public void close(long graceMillis) {
        closeCommands();
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void copyDiagnostics() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.err.println(line);
            }
        } catch (IOException ignored) {
            // The peer is gone: it has nothing more to say.
        }
    }

    private void readReplies() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                replies.offer(line);
            }
        } catch (IOException ignored) {
            // A broken pipe is the same as end of output: the peer is gone.
        }
        replies.offer(END_OF_OUTPUT);
    }
}
