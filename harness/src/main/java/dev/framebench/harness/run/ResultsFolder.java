package dev.framebench.harness.run;

import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A results folder being written: everything goes into {@code .NAME.partial-PID} beside it, and only a
 * run that succeeded renames it into place, so a reader never sees half a run. Closing without
 * {@link #commit()} removes the partial folder.
 */
public final class ResultsFolder implements AutoCloseable {
    private final Path target;
    private final Path partial;
    private boolean committed;

    private ResultsFolder(Path target, Path partial) {
        this.target = target;
        this.partial = partial;
    }

    /** Creates the partial folder for {@code target} (from {@link #resolve}). */
    public static ResultsFolder open(Path target) {
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(partial);
        } catch (IOException e) {
            throw new BadInputException("cannot write results folder " + target + ": " + e.getMessage() + "; choose a writable --out");
        }
        return new ResultsFolder(target, partial);
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
        Files.move(partial, target);
        committed = true;
    }

    /** Keeps a failed run's JMH log beside where its results would have gone; says where, or none. */
    public String keepLog() {
        Path failedLog = target.resolveSibling(target.getFileName() + ".failed.log");
        try {
            Files.copy(partial.resolve("jmh.log"), failedLog);
            return failedLog.toString();
        } catch (IOException e) {
            return "none";
        }
    }

    @Override
    public void close() {
        if (!committed) {
            Results.deleteTree(partial);
        }
    }
}
