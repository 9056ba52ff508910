package dev.framebench.harness.faults;

import dev.framebench.harness.run.Results;
import dev.framebench.harness.peer.Jvm;
import dev.framebench.transport.Transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One fault scenario's processes and files: a {@link FaultRig} receiver JVM (which starts its sender peer
 * JVM) whose every file goes into a private folder of this run alone ({@code shm.dir}, {@code uds.dir},
 * {@code file.dir} and both JVMs' {@code java.io.tmpdir}), so the leftover checks look only at what this
 * scenario made, never at other users of {@code /dev/shm} or other tests' JVMs. Signals go only to the
 * pids this run started.
 */
final class RigRun implements AutoCloseable {
    private static final Path BASE = Path.of("/dev/shm");
    private static final List<String> RIG_JVM_ARGS = List.of("-Xms64m", "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:TieredStopAtLevel=1");

    final Transport transport;
    final Path privateDir;
    final Path stderrFile;
    final Process rig;
    final long senderPid;
    final Set<ProcessHandle> started = new LinkedHashSet<>();

    private RigRun(Transport transport, Path privateDir, Path stderrFile, Process rig, long senderPid) {
        this.transport = transport;
        this.privateDir = privateDir;
        this.stderrFile = stderrFile;
        this.rig = rig;
        this.senderPid = senderPid;
        started.add(rig.toHandle());
        rig.toHandle().descendants().forEach(started::add);
    }

    /** A fresh 0700 folder under /dev/shm named after this test JVM, for one scenario. */
    static Path privateDir(String label) {
        try {
            return Files.createTempDirectory(BASE, "fbfaults-" + ProcessHandle.current().pid() + "-" + label + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Transport options that put every file of {@code transport} into {@code dir}. */
    static String privateOptions(Transport transport, Path dir) {
        List<String> pairs = new ArrayList<>();
        for (String key : List.of("shm.dir", "uds.dir", "file.dir", "s3.dir")) {
            if (transport.options().containsKey(key)) {
                pairs.add(key + "=" + dir);
            }
        }
        return String.join(";", pairs);
    }

    /** Starts the rig and waits for frames to flow; {@code senderJvmArgs} go to the sender peer. */
    static RigRun start(Transport transport, String frame, int timeoutSeconds, String senderJvmArgs) {
        Path dir = privateDir(transport.name());
        Path stderr = dir.resolveSibling(dir.getFileName() + ".stderr");
        String options = privateOptions(transport, dir);
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaBinary());
        command.addAll(RIG_JVM_ARGS);
        command.add("-Djava.io.tmpdir=" + dir);
        command.add("-Dframebench.peer.jvmArgs=-Djava.io.tmpdir=" + dir + " -XX:TieredStopAtLevel=1 -Xms64m" + senderJvmArgs);
        command.add("-cp");
        command.add(Jvm.classPath());
        command.add(FaultRig.class.getName());
        command.add(transport.name());
        command.add(frame);
        command.add(Integer.toString(timeoutSeconds));
        command.add(options.isEmpty() ? "-" : options);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("RIG READY sender=")) {
                        return line.substring("RIG READY sender=".length());
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String sender;
        try {
            sender = ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            sender = null;
        }
        if (sender == null) {
            process.destroyForcibly();
            throw new AssertionError(transport.name() + ": the rig never got frames flowing; stderr: " + read(stderr));
        }
        return new RigRun(transport, dir, stderr, process, Long.parseLong(sender.trim()));
    }

    long rigPid() {
        return rig.pid();
    }

    static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Milliseconds from {@code sinceNanos} until {@code pid} has exited, or -1 if it outlives {@code limitSeconds}.
     * A zombie counts as exited: a sender whose receiver is stopped cannot be reaped until it continues.
     */
    static long awaitExit(long pid, long sinceNanos, long limitSeconds) {
        long limit = System.nanoTime() + limitSeconds * 1_000_000_000L;
        while (running(pid)) {
            if (System.nanoTime() - limit > 0) {
                return -1;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    /** Milliseconds from {@code sinceNanos} until stderr has a line starting with {@code prefix}, or -1 after {@code limitSeconds}. */
    long awaitLine(String prefix, long sinceNanos, long limitSeconds) {
        long limit = System.nanoTime() + limitSeconds * 1_000_000_000L;
        while (stderr().lines().noneMatch(l -> l.startsWith(prefix))) {
            if (System.nanoTime() - limit > 0) {
                return -1;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    /** The rig's exit status once it has exited (awaitExit first); -1 if it has not. */
    int rigExit() {
        try {
            return rig.waitFor(10, TimeUnit.SECONDS) ? rig.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Alive and not a zombie ({@code /proc/<pid>/stat} state Z or X). */
    static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    String stderr() {
        return read(stderrFile);
    }

    /** Every process this run started that is still alive, after giving them {@code graceMillis} to go. */
    List<Long> leftoverProcesses(long graceMillis) {
        long since = System.nanoTime();
        List<Long> alive = new ArrayList<>();
        for (ProcessHandle p : started) {
            long waited = (System.nanoTime() - since) / 1_000_000;
            // Zombie-aware: an orphan waits for whoever adopted it to reap it, but runs no more.
            if (awaitExit(p.pid(), System.nanoTime(), Math.max(1, (graceMillis - waited) / 1000)) == -1) {
                alive.add(p.pid());
            }
        }
        return alive;
    }

    /** What this run left: anything in its private folder, or framebench-* entries of its pids anywhere shared. */
    List<String> leftoverFiles() {
        List<String> left = new ArrayList<>();
        try (Stream<Path> files = Files.list(privateDir)) {
            files.forEach(p -> left.add(p.toString()));
        } catch (IOException e) {
            left.add(privateDir + " unreadable: " + e);
        }
        for (Path shared : List.of(BASE, Path.of(System.getProperty("java.io.tmpdir")))) {
            try (Stream<Path> files = Files.list(shared)) {
                files.filter(p -> {
                    String name = p.getFileName().toString();
                    return name.startsWith("framebench-") && started.stream().anyMatch(h -> name.contains("-" + h.pid() + "-"));
                }).forEach(p -> left.add(p.toString()));
            } catch (IOException ignored) {
                // Nothing listed, nothing left.
            }
        }
        return left;
    }

    /** Kills whatever of this run is still alive (only its own pids) and removes its private folder. */
    @Override
    public void close() {
        for (ProcessHandle p : started) {
            if (p.isAlive()) {
                signal("CONT", p.pid());
                p.destroyForcibly();
            }
        }
        for (ProcessHandle p : started) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Reported by leftoverProcesses in the test itself.
            }
        }
        deleteTree(privateDir);
        try {
            Files.deleteIfExists(stderrFile);
        } catch (IOException ignored) {
            // A stray log in /dev/shm named after this test JVM; harmless.
        }
    }

    static void deleteTree(Path dir) {
        Results.deleteTree(dir);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The first line of {@code text} containing {@code needle}, or the last line when none does. */
    static String lineWith(String text, String needle) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.stream().filter(l -> l.contains(needle)).findFirst().orElse(lines.isEmpty() ? "" : lines.getLast());
    }
}
