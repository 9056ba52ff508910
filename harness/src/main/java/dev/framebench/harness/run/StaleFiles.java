package dev.framebench.harness.run;

import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Removes what killed runs left behind: every {@code framebench-<kind>-<pid>-<n>} ring file, socket
 * directory or frame folder whose owner pid is dead, in shared memory, the temp folder and any folder a
 * run's options named ({@code shm.dir}, {@code uds.dir}, {@code file.dir}, {@code s3.dir}). A JVM killed by SIGKILL
 * runs no shutdown hook, so the process that outlives it (the JMH host, the next run) sweeps instead.
 * Files of live processes, other users' runs in progress included, are never touched.
 */
public final class StaleFiles {
    private StaleFiles() {
    }

    /** The folders a run with {@code options} may have written to. */
    public static Set<Path> folders(TransportOptions options) {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(ShmFiles.DEFAULT_DIR);
        dirs.add(Path.of(System.getProperty("java.io.tmpdir")));
        options.asMap().forEach((key, value) -> {
            if (key.endsWith(".dir") && !value.isBlank()) {
                dirs.add(Path.of(value));
            }
        });
        return dirs;
    }

    /** Sweeps {@link #folders}; returns how many entries went. */
    public static int sweep(TransportOptions options) {
        return sweep(folders(options));
    }

    /** Sweeps each of {@code dirs}; returns how many entries went. */
    public static int sweep(Collection<Path> dirs) {
        int removed = 0;
        for (Path dir : dirs) {
            removed += ShmFiles.sweepStale(dir);
        }
        return removed;
    }
}
