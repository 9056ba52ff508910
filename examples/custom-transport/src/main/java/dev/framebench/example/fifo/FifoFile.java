package dev.framebench.example.fifo;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.shm.ShmFiles;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A receiver's FIFO, {@value #FILE_NAME}, alone in a folder made for it,
 * {@code <fifo.dir>/framebench-fifo-<pid>-<n>}. The folder is made by framebench's {@link ShmFiles}, so it
 * is named like every other transport's files and folders: its owner's pid is in the name, a JVM that
 * exits without closing removes it in a shutdown hook, and after a SIGKILL the next run's stale sweep
 * ({@link ShmFiles#sweepStale}) removes it once that pid is dead. Folder 0700 and FIFO 0600 keep every
 * other user out; this user (and root) can still open the FIFO and write, which no FIFO can prevent.
 *
 * <p>Threading: made and closed by the receiver's thread; {@link ShmFiles}' shutdown hook may remove the
 * folder concurrently, which is harmless.
 */
final class FifoFile implements AutoCloseable {
    static final String FILE_NAME = "frames.fifo";
    static final String KIND = "fifo";
    static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PRIVATE_FIFO = PosixFilePermissions.fromString("rw-------");

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final Path folder;
    private final Path fifo;

    private FifoFile(Path folder, Path fifo) {
        this.folder = folder;
        this.fifo = fifo;
    }

    /** Sweeps what dead runs left in {@code parent}, then makes the private folder and the FIFO in it. */
    static FifoFile create(Path parent) {
        ShmFiles.sweepStale(parent);
        Path folder = ShmFiles.createDirectory(parent, KIND);
        Path fifo = folder.resolve(FILE_NAME);
        try (Arena arena = Arena.ofConfined()) {
            // The umask applies to mkdir and mkfifo alike; the modes are set outright once they exist.
            Files.setPosixFilePermissions(folder, PRIVATE_FOLDER);
            MemorySegment errno = Posix.errnoSlot(arena);
            if (Posix.mkfifo(errno, arena.allocateFrom(fifo.toString()), 0600) != 0) {
                throw new TransportException("cannot make fifo " + fifo + ": mkfifo failed with " + Posix.describe(Posix.errno(errno))
                        + "; choose a local folder this user can write with " + FifoOptions.DIR + "=DIR");
            }
            Files.setPosixFilePermissions(fifo, PRIVATE_FIFO);
            return new FifoFile(folder, fifo);
        } catch (IOException e) {
            ShmFiles.delete(folder);
            throw new TransportException("cannot make fifo folder " + folder + " private: " + e + "; choose another " + FifoOptions.DIR + "=DIR", e);
        } catch (RuntimeException e) {
            ShmFiles.delete(folder);
            throw e;
        }
    }

    /**
     * The FIFO a sender opens, from the receiver's endpoint: an absolute path that is a FIFO itself, not a
     * link to one, so that a wrong endpoint can never have frames written into a regular file. (Between
     * this look and the open, only the receiver's own user could swap the file: the folder is 0700.)
     */
    static Path fromEndpoint(String endpoint) {
        Path path;
        try {
            path = Path.of(endpoint);
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || !path.isAbsolute()) {
            throw new BadInputException("bad fifo endpoint: endpoint=" + endpoint
                    + "; give the absolute path of the FIFO the receiver printed, e.g. /dev/shm/framebench-fifo-1234-1/" + FILE_NAME);
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new TransportException("no fifo at " + path + "; give the endpoint the receiver printed, while that receiver is open");
        } catch (IOException | UnsupportedOperationException e) {
            throw new TransportException("cannot look at fifo endpoint " + path + ": " + e + "; the fifo transport needs Linux");
        }
        if ((mode & S_IFMT) != S_IFIFO) {
            throw new BadInputException("fifo endpoint is not a FIFO: " + path + " is a " + fileType(mode)
                    + "; give the endpoint the fifo receiver printed");
        }
        return path;
    }

    private static String fileType(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> "regular file";
            case 0040000 -> "directory";
            case 0120000 -> "symbolic link";
            case 0140000 -> "socket";
            case 0020000, 0060000 -> "device";
            default -> "file of type " + Integer.toOctalString(mode & S_IFMT);
        };
    }

    Path fifo() {
        return fifo;
    }

    Path folder() {
        return folder;
    }

    /** Removes the FIFO and its folder; idempotent. An end still open keeps working: the name is all that goes. */
    @Override
    public void close() {
        ShmFiles.delete(folder);
    }
}
