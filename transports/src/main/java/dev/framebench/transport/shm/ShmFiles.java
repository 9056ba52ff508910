package dev.framebench.transport.shm;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Files and folders framebench creates in shared memory (or any temp folder): private to the user (files
 * 0600, folders 0700), named {@code framebench-<kind>-<pid>-<n>} after the process that owns them, deleted
 * on close, at JVM exit, and by the next run's {@link #sweepStale} once their owner is dead.
 *
 * <p>Threading: every method is safe to call from any thread.
 */
public final class ShmFiles {
    /** Where shared memory lives on Linux: a tmpfs both JVMs can map. */
    public static final Path DEFAULT_DIR = Path.of("/dev/shm");
    public static final String PREFIX = "framebench-";

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OWNED.forEach(ShmFiles::deleteTree), "framebench-shm-cleanup"));
    }

    private ShmFiles() {
    }

    /**
     * Creates a new file of {@code sizeBytes} (sparse: pages are taken as they are written), 0600, and
     * fails with one line if the folder is missing or too small.
     */
    public static Path createFile(Path dir, String kind, long sizeBytes) {
        return createFile(dir, kind, sizeBytes, "lower shm.ringBytes or set shm.dir=DIR");
    }

    /**
     * {@link #createFile(Path, String, long)} for a transport whose file is sized by other options: {@code fix}
     * is its way out of a full folder, as {@link #requireSpace} prints it.
     */
    public static Path createFile(Path dir, String kind, long sizeBytes, String fix) {
        requireFolder(dir);
        requireSpace(dir, sizeBytes, fix);
        Path file = uniqueName(dir, kind);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            OWNED.add(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(sizeBytes);
            }
            return file;
        } catch (IOException e) {
            delete(file);
            throw new TransportException("cannot create " + file + " (" + sizeBytes + " bytes): " + e.getMessage(), e);
        }
    }

    /** Creates a new private folder (0700) for a transport's files. */
    public static Path createDirectory(Path dir, String kind) {
        requireFolder(dir);
        Path folder = uniqueName(dir, kind);
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            OWNED.add(folder);
            return folder;
        } catch (IOException e) {
            throw new TransportException("cannot create folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Maps all of {@code file} read-write into {@code arena}, which releases the mapping when it closes (the channel
     * is closed at once); how both sides of shm-ffm and shm-slots map their file. {@code kind} names the file in the
     * one-line errors: "no ring file ..." when the receiver that makes it has not run, "cannot map ..." otherwise.
     */
    public static MemorySegment map(Path file, Arena arena, String kind) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
        } catch (NoSuchFileException e) {
            throw new TransportException("no " + kind + " file " + file + "; start the receiver first and pass the endpoint it prints", e);
        } catch (IOException e) {
            throw new TransportException("cannot map " + kind + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or folder made here (recursively) and forgets it; a missing one is fine. */
    public static void delete(Path path) {
        deleteTree(path);
        OWNED.remove(path);
    }

    /**
     * Deletes every {@code framebench-*} entry of {@code dir} whose owner pid is no longer alive: what a
     * killed run left behind. Entries of live processes, and anything not named by this class, are left.
     *
     * @return how many entries were removed
     */
    public static int sweepStale(Path dir) {
        int removed = 0;
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path entry : entries) {
                long pid = ownerPid(entry.getFileName().toString());
                if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    deleteTree(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            // A folder we cannot list holds nothing we could remove either.
        }
        return removed;
    }

    /** The pid in {@code framebench-<kind>-<pid>-<n>}, or -1 when the name is not of that form. */
    public static long ownerPid(String fileName) {
        if (!fileName.startsWith(PREFIX)) {
            return -1;
        }
        String[] parts = fileName.substring(PREFIX.length()).split("-");
        if (parts.length < 3) {
            return -1;
        }
        try {
            return Long.parseLong(parts[parts.length - 2]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Path uniqueName(Path dir, String kind) {
        return dir.resolve(PREFIX + kind + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet());
    }

    /**
     * The folder option {@code key} names ({@code text}), checked to be a folder this user can write: what a
     * run checks of it before its first benchmark.
     */
    public static Path folder(String key, String text) {
        Path dir;
        try {
            dir = Path.of(text).toAbsolutePath();
        } catch (InvalidPathException e) {
            dir = null;
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new BadInputException("bad value for option " + key + ": " + key + "=" + text
                    + "; allowed: an existing folder this user can write (default " + DEFAULT_DIR + ")");
        }
        return dir;
    }

    private static void requireFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("no folder " + dir + " for shared memory; mount a tmpfs there (Linux has /dev/shm) or choose another with shm.dir=DIR");
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException("cannot write to " + dir + "; choose a writable folder with shm.dir=DIR");
        }
    }

    /**
     * Fails with one line when {@code dir} has less than {@code sizeBytes} free: a tmpfs that fills up
     * under a mapping does not fail a write, it kills the JVM with SIGBUS at the first page it cannot
     * back. {@code fix} is the transport's own way out, e.g. {@code "lower shm.ringBytes or set shm.dir=DIR"}.
     */
    public static void requireSpace(Path dir, long sizeBytes, String fix) {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            // Unknown free space (no such folder, say): creating the file will say what is wrong.
            return;
        }
        if (free < sizeBytes) {
            throw new BadInputException("not enough space in " + dir + ": need " + sizeBytes + " bytes, " + free
                    + " free; free some (framebench-* files of dead runs are swept at start), or " + fix);
        }
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort; a survivor is swept by the next run once this process is gone.
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // As above.
        }
    }
}
