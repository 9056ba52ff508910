package dev.framebench.harness.profiler;

import dev.framebench.harness.util.Executables;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Linux {@code perf} sampling processes that are not JVMs (a browser's processes), for the flame graphs a
 * JVM side gets from async-profiler: {@code perf record -e cpu-clock -g} on their pids, started disabled and
 * switched on and off through its control FIFOs over the same window as the JVM sides, then
 * {@code perf script} folded into collapsed stacks, each rooted at its process's kind.
 *
 * <p>{@code cpu-clock} is a software event: it samples in a VM whose hypervisor hides the hardware
 * counters. Call stacks come from frame pointers; frames of a stripped binary show as {@code [unknown]}
 * and are kept as the binary's name, so the libraries' and the kernel's frames (memcpy, the socket's
 * send path) stay readable.
 *
 * <p>Threading: one caller at a time (the sender side's control path).
 */
public final class PerfRecorder implements AutoCloseable {
    /** Samples per second per CPU: about what async-profiler's 1 ms interval gives, off the 1000 Hz tick. */
    static final int FREQUENCY = 499;
    private static final long STEP_MILLIS = 5_000;

    private final Path dir;
    private final Process perf;
    private final OutputStream control;
    private final BufferedReader acks;

    private PerfRecorder(Path dir, Process perf, OutputStream control, BufferedReader acks) {
        this.dir = dir;
        this.perf = perf;
        this.control = control;
        this.acks = acks;
    }

    /** Why perf cannot sample here (not installed, or perf_event_paranoid forbids it to this user); empty when it can. */
    public static Optional<String> unavailable() {
        Optional<Path> perf = Executables.onPath("perf", System.getenv("PATH"));
        if (perf.isEmpty()) {
            return Optional.of("no perf on PATH (Debian's linux-perf)");
        }
        try {
            int paranoid = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).trim());
            boolean root = "root".equals(System.getProperty("user.name"));
            if (paranoid > 1 && !root) {
                return Optional.of("perf_event_paranoid=" + paranoid + " forbids sampling other processes to this user (set it to 1)");
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.of("cannot read /proc/sys/kernel/perf_event_paranoid: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Starts perf on {@code pids}, disabled; its files go in {@code dir}, a private folder the caller owns. */
    public static PerfRecorder start(List<Long> pids, Path dir) throws IOException {
        Path ctl = dir.resolve("perf-ctl");
        Path ack = dir.resolve("perf-ack");
        for (Path fifo : List.of(ctl, ack)) {
            if (Executables.output(List.of("mkfifo", "-m", "600", fifo.toString())).isEmpty()) {
                throw new IOException("mkfifo -m 600 " + fifo + " failed");
            }
        }
        List<String> command = List.of("perf", "record", "-e", "cpu-clock", "-F", Integer.toString(FREQUENCY), "-g", "-D", "-1",
                "--control", "fifo:" + ctl + "," + ack, "-o", dir.resolve("perf.data").toString(), "-q",
                "-p", pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
        Process perf = new ProcessBuilder(command).redirectOutput(dir.resolve("perf.log").toFile()).redirectErrorStream(true).start();
        try {
            // Opening a FIFO blocks until the other end opens it: bounded, so a perf that died at start cannot hang us.
            OutputStream control = within(() -> Files.newOutputStream(ctl), perf);
            BufferedReader acks = within(() -> Files.newBufferedReader(ack, StandardCharsets.US_ASCII), perf);
            return new PerfRecorder(dir, perf, control, acks);
        } catch (IOException e) {
            perf.destroyForcibly();
            throw new IOException(e.getMessage() + "; perf said: " + tail(dir.resolve("perf.log")), e);
        }
    }

    /** Samples from now on. */
    public void enable() throws IOException {
        command("enable");
    }

    /** No samples until {@link #enable()}. */
    public void disable() throws IOException {
        command("disable");
    }

    /**
     * Stops perf, folds what it sampled into collapsed stacks rooted at each process's kind ({@code kindOf}
     * of its pid), writes them to {@code prefix.collapsed} and drawn to {@code prefix.html}; returns them.
     */
    public CollapsedStacks finish(Path prefix, LongFunction<String> kindOf, String title) throws IOException {
        perf.destroy(); // SIGTERM: perf record stops and writes its file, as on ^C.
        try {
            if (!perf.waitFor(STEP_MILLIS * 2, TimeUnit.MILLISECONDS)) {
                perf.destroyForcibly();
                throw new IOException("perf record did not stop within " + STEP_MILLIS * 2 / 1000 + " s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted stopping perf", e);
        }
        Process script = new ProcessBuilder("perf", "script", "-i", dir.resolve("perf.data").toString(), "-F", "pid,ip,sym,dso")
                .redirectError(dir.resolve("perf-script.log").toFile()).start();
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                return in.lines().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (!script.waitFor(60, TimeUnit.SECONDS)) {
                script.destroyForcibly();
                throw new IOException("perf script did not finish within 60 s");
            }
            CollapsedStacks stacks = fold(lines.get(10, TimeUnit.SECONDS), kindOf);
            List<String> out = new ArrayList<>();
            stacks.samples().forEach((stack, count) -> out.add(String.join(";", stack) + " " + count));
            Files.write(Path.of(prefix + ".collapsed"), out, StandardCharsets.UTF_8);
            Files.writeString(Path.of(prefix + ".html"), DiffFlameGraphHtml.renderProfile(stacks, title,
                    stacks.total() + " samples of perf record -e cpu-clock -F " + FREQUENCY + " -g"), StandardCharsets.UTF_8);
            return stacks;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading perf script", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot read perf script's output: " + e.getMessage(), e);
        }
    }

    /**
     * {@code perf script -F pid,ip,sym,dso} to collapsed stacks: a sample is a line with the pid, then one
     * line per frame, leaf first, then a blank line. Root first, kernel frames suffixed as async-profiler
     * suffixes them; a frame without a symbol is named by its binary.
     */
    static CollapsedStacks fold(List<String> lines, LongFunction<String> kindOf) {
        Map<List<String>, Long> samples = new LinkedHashMap<>();
        List<String> frames = new ArrayList<>();
        String root = null;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                add(samples, root, frames);
                root = null;
                frames.clear();
            } else if (root == null) {
                try {
                    root = kindOf.apply(Long.parseLong(trimmed.split("\\s+")[0]));
                } catch (NumberFormatException e) {
                    root = "?";
                }
            } else {
                frames.add(frame(trimmed));
            }
        }
        add(samples, root, frames);
        long total = samples.values().stream().mapToLong(Long::longValue).sum();
        return new CollapsedStacks(Collections.unmodifiableMap(samples), total);
    }

    /** One sample, its frames leaf first as perf prints them, counted root first; nothing before a sample's first line. */
    private static void add(Map<List<String>, Long> samples, String root, List<String> leafFirst) {
        if (root == null) {
            return;
        }
        List<String> stack = new ArrayList<>(leafFirst);
        Collections.reverse(stack);
        stack.addFirst(root);
        samples.merge(List.copyOf(stack), 1L, Long::sum);
    }

    /** "ffffffff8171f182 anon_pipe_read+0x4f2 ([kernel.kallsyms])" -> "anon_pipe_read_[k]"; "43b6 [unknown] (/usr/bin/gzip)" -> "[gzip]". */
    static String frame(String line) {
        String[] parts = line.split("\\s+", 2);
        String rest = parts.length > 1 ? parts[1] : "";
        int dsoAt = rest.lastIndexOf(" (");
        String symbol = (dsoAt >= 0 ? rest.substring(0, dsoAt) : rest).replaceAll("\\+0x[0-9a-f]+$", "").trim();
        String dso = dsoAt >= 0 ? rest.substring(dsoAt + 2, rest.length() - (rest.endsWith(")") ? 1 : 0)) : "";
        if (dso.equals("[kernel.kallsyms]")) {
            return symbol + CollapsedStacks.KERNEL_SUFFIX;
        }
        if (symbol.isEmpty() || symbol.equals("[unknown]")) {
            return "[" + Path.of(dso.isEmpty() ? "unknown" : dso).getFileName() + "]";
        }
        return symbol.replace(';', ':');
    }

    private void command(String word) throws IOException {
        control.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
        control.flush();
        String reply = within(acks::readLine, perf);
        if (reply == null || !reply.trim().equals("ack")) {
            throw new IOException("perf did not acknowledge " + word + " (it said " + reply + "; " + tail(dir.resolve("perf.log")) + ")");
        }
    }

    @Override
    public void close() {
        perf.destroyForcibly();
        try {
            control.close();
            acks.close();
        } catch (IOException ignored) {
            // perf is gone either way; its files go with the caller's folder.
        }
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    /** {@code step}, failing after {@link #STEP_MILLIS} or as soon as perf has exited. */
    private static <T> T within(Step<T> step, Process perf) throws IOException {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
            try {
                return step.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_MILLIS);
        while (System.nanoTime() < deadline) {
            try {
                return result.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!perf.isAlive()) {
                    throw new IOException("perf exited with status " + perf.exitValue());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted talking to perf", e);
            }
        }
        throw new IOException("perf did not answer within " + STEP_MILLIS / 1000 + " s");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "nothing" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "nothing readable";
        }
    }
}
