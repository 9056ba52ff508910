package dev.framebench.harness.run;

import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A results folder being written: everything goes into {@code .NAME.partial-PID} beside it, and only a
 * run that succeeded renames it into place, so a reader never sees half a run. Closing without
 * {@link #commit()} removes the partial folder; so does an interrupted run (INT, TERM): a shutdown hook
 * first ends every process this JVM started (the JMH forks, and through their own hooks the senders),
 * then removes what they left ({@code afterChildren}, the stale-file sweep) and the partial folder. A run
 * killed with SIGKILL runs no hook: the next {@link #resolve} in the same parent folder removes partial
 * folders whose owner pid is gone.
 *
 * <p>Folders are private to the user (0700), as are the files the run writes in them.
 */
public final class ResultsFolder implements AutoCloseable {
    /** How long the children of an interrupted run get to end by themselves (a JMH fork closes its session) before SIGKILL. */
    static final long CHILD_GRACE_MILLIS = 3_000;
    private static final Pattern PARTIAL = Pattern.compile("\\.(.+)\\.partial-(\\d+)(\\.[a-z.]+)?");

    private final Path target;
    private final Path partial;
    private final Thread onInterrupt;
    private volatile boolean committed;
    /** Set as the JVM begins to shut down before the run ended: its failure is the interruption, not worth a log. */
    private volatile boolean interrupted;

    private ResultsFolder(Path target, Path partial, Runnable afterChildren) {
        this.target = target;
        this.partial = partial;
        this.onInterrupt = new Thread(() -> {
            if (!committed) {
                interrupted = true;
                endChildren();
                afterChildren.run();
                Results.deleteTree(partial);
                try {
                    Files.deleteIfExists(failedLog());
                } catch (IOException ignored) {
                    // Best effort, as for the folder.
                }
            }
        }, "framebench-interrupted-run");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
    }

    /** TERM, then KILL after {@link #CHILD_GRACE_MILLIS}, to every process this JVM started. */
    private static void endChildren() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + CHILD_GRACE_MILLIS * 1_000_000;
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                child.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.destroyForcibly();
            }
        }
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Creates the partial folder for {@code target} (from {@link #resolve}). */
    public static ResultsFolder open(Path target) {
        return open(target, () -> { });
    }

    /** As {@link #open(Path)}; an interrupted run also runs {@code afterChildren} once its children have ended. */
    public static ResultsFolder open(Path target, Runnable afterChildren) {
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new BadInputException("cannot write results folder " + target + ": " + e.getMessage() + "; choose a writable --out");
        }
        return new ResultsFolder(target, partial, afterChildren);
    }

    /**
     * Removes {@code .NAME.partial-PID} folders in {@code parent}, and files {@code .NAME.partial-PID.EXT}
     * (bench-all's env.json of the run), whose run (pid) is gone; returns how many.
     */
    public static int sweepAbandoned(Path parent) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, ".*.partial-*")) {
            for (Path entry : entries) {
                Matcher m = PARTIAL.matcher(entry.getFileName().toString());
                if (m.matches() && (Files.isDirectory(entry) == (m.group(3) == null))
                        && ProcessHandle.of(Long.parseLong(m.group(2))).map(h -> !h.isAlive()).orElse(true)) {
                    Results.deleteTree(entry);
                    removed++;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // Nothing to sweep, or not ours: the run goes on.
        }
        return removed;
    }

    /** The absolute results folder: {@code out}, or runs/<UTC time>_<suffix>; it must not exist, its parent is made. */
    public static Path resolve(String out, String suffix) {
        Path dir;
        if (out == null) {
            String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
            dir = FramebenchHome.root().resolve("runs").resolve(stamp + "_" + suffix);
        } else {
            dir = Path.of(out);
        }
        dir = dir.toAbsolutePath().normalize();
        if (Files.exists(dir)) {
            throw new BadInputException("results folder " + dir + " already exists; choose a new --out or remove it");
        }
        Path parent = dir.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new BadInputException("cannot create " + parent + " for results: " + e.getMessage() + "; choose a writable --out");
        }
        if (!Files.isWritable(parent)) {
            throw new BadInputException("cannot write results under " + parent + " (not writable); choose a writable --out");
        }
        int swept = sweepAbandoned(parent);
        if (swept > 0) {
            System.err.println("framebench: removed " + swept + " partial results folder(s) of runs that were killed, in " + parent);
        }
        return dir;
    }

    /** Where the run writes until it succeeds. */
    public Path partial() {
        return partial;
    }

    public Path target() {
        return target;
    }

    /** Renames the partial folder into place: the run succeeded. */
    public void commit() throws IOException {
        makePrivate(partial);
        committed = true;
        try {
            Files.move(partial, target);
        } catch (IOException e) {
            committed = false;
            throw e;
        }
        removeHook();
    }

    /** Keeps a failed run's JMH log beside where its results would have gone; says where, or none. */
    public String keepLog() {
        if (interrupted) {
            return "none: the run was interrupted";
        }
        Path failedLog = failedLog();
        try {
            Files.copy(partial.resolve("jmh.log"), failedLog);
            return failedLog.toString();
        } catch (IOException e) {
            return "none";
        }
    }

    private Path failedLog() {
        return target.resolveSibling(target.getFileName() + ".failed.log");
    }

    @Override
    public void close() {
        if (!committed) {
            Results.deleteTree(partial);
        }
        removeHook();
    }

    /** Folders 0700 and files 0600 below {@code dir}, whatever the umask made of what JMH and the report wrote. */
    static void makePrivate(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
            }
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException alreadyExiting) {
            // The JVM is shutting down: the hook runs, and finds the run committed or the folder gone.
        }
    }
}
