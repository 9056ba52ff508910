package dev.framebench.transport.uds;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a Unix-domain receiver's socket file lives, and its removal. By default the file is
 * {@value #SOCKET_FILE_NAME} in a directory made for this receiver alone,
 * {@code <uds.dir>/framebench-uds-<pid>-<random>} with permissions 0700, so that whatever the umask no
 * other user can connect to the socket or put a file of their own in its place; {@code listen=PATH}
 * names the socket file instead. Once bound, the socket file is made 0600 where the file system has
 * POSIX permissions. Every path is checked against the {@value #SUN_PATH_BYTES}-byte {@code sun_path}
 * before anything is created, so a path that cannot work fails with the fix instead of a bind error.
 *
 * <p>Removal: {@link #close()} for the socket file and the private directory (the file stays while the
 * receiver runs, so that a stranger's connect reaches its listener and is refused and counted there), and a JVM shutdown hook, registered once per receiver and
 * unregistered by {@link #close()}, for a receiver JVM that exits without closing (SIGTERM, Ctrl-C). A
 * JVM killed outright (SIGKILL) runs no hook: its directory is the one named after its pid.
 *
 * <p>Threading: used by the receiver's thread; the shutdown hook may run {@link #close()}'s removal
 * concurrently, so removal is synchronized and idempotent.
 */
final class UdsSocketPath implements AutoCloseable {
    static final String LISTEN = "listen";
    static final String DIR = "uds.dir";
    static final String SOCKET_FILE_NAME = "frames.sock";
    /** Linux's {@code sockaddr_un.sun_path}: the path's bytes and the terminating NUL. */
    static final int SUN_PATH_BYTES = 108;
    static final int MAX_PATH_BYTES = SUN_PATH_BYTES - 1;
    static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PRIVATE_SOCKET = PosixFilePermissions.fromString("rw-------");
    private static final String DIRECTORY_PREFIX = "framebench-uds-";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    // The kernel reads sun_path as bytes: the JDK encodes paths with sun.jnu.encoding, so the limit is on those.
    private static final Charset PATH_ENCODING = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);

    private final Path socketFile;
    /** The directory made for this receiver, or null when {@code listen=PATH} named the socket file. */
    private final Path privateDirectory;
    private final Thread removeOnExit = new Thread(this::remove, "framebench-uds-cleanup");
    private boolean removed;

    private UdsSocketPath(Path socketFile, Path privateDirectory) {
        this.socketFile = socketFile;
        this.privateDirectory = privateDirectory;
    }

    static Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put(LISTEN, "receiver socket file, an absolute PATH (default: " + SOCKET_FILE_NAME
                + " in a new private directory under uds.dir)");
        help.put(DIR, "DIR where the receiver makes its private socket directory (default java.io.tmpdir)");
        return help;
    }

    /**
     * Makes the private directory (or checks {@code listen=PATH}) and registers the shutdown hook; the
     * caller binds the socket to {@link #socketFile()} and closes this if binding fails.
     */
    static UdsSocketPath create(TransportOptions options) {
        if (options.has(LISTEN) && options.has(DIR)) {
            throw new BadInputException("give either " + LISTEN + "=PATH (the socket file) or " + DIR
                    + "=DIR (where to make a private directory for it), not both");
        }
        UdsSocketPath path = options.has(LISTEN) ? listenPath(options.get(LISTEN, "")) : privatePath(options);
        Runtime.getRuntime().addShutdownHook(path.removeOnExit);
        return path;
    }

    /**
     * Checks what {@link #create} would read, making nothing: one of the two keys, an absolute socket path
     * that fits and whose directory exists, or an existing {@code uds.dir} short enough for a private socket.
     */
    static void validate(TransportOptions options) {
        if (options.has(LISTEN) && options.has(DIR)) {
            throw new BadInputException("give either " + LISTEN + "=PATH (the socket file) or " + DIR
                    + "=DIR (where to make a private directory for it), not both");
        }
        if (options.has(LISTEN)) {
            Path socketFile = requireFits(LISTEN, absolute(LISTEN, options.get(LISTEN, "")), "give a shorter listen=PATH");
            if (!Files.isDirectory(socketFile.getParent())) {
                throw new BadInputException("cannot listen on " + socketFile + ": no directory " + socketFile.getParent()
                        + "; create it or choose another listen=PATH");
            }
            return;
        }
        String dirText = options.get(DIR, System.getProperty("java.io.tmpdir"));
        Path parent = socketParent(dirText);
        if (!Files.isDirectory(parent)) {
            throw new BadInputException("bad value for option " + DIR + ": " + DIR + "=" + dirText + "; no such directory, give an existing one");
        }
        // The longest private directory name privatePath makes: the prefix, a pid and a hex int.
        String longest = DIRECTORY_PREFIX + Long.MAX_VALUE + "-" + Integer.toHexString(-1);
        requireFits(DIR, parent.resolve(longest).resolve(SOCKET_FILE_NAME), "choose a shorter directory with uds.dir=DIR, e.g. uds.dir=/tmp");
    }

    /** The socket file a sender connects to, from a receiver's endpoint string. */
    static Path fromEndpoint(String endpoint) {
        return requireFits("endpoint", absolute("endpoint", endpoint), "give the endpoint the receiver printed");
    }

    Path socketFile() {
        return socketFile;
    }

    /** Makes the bound socket file 0600: connecting needs write permission on it. */
    void restrictSocketFile() {
        if (!POSIX) {
            return;
        }
        try {
            Files.setPosixFilePermissions(socketFile, PRIVATE_SOCKET);
        } catch (IOException e) {
            throw new TransportException("cannot make socket file " + socketFile + " private (0600): " + e.getMessage(), e);
        }
    }

    /** Removes the socket file and the private directory and unregisters the shutdown hook. */
    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(removeOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run remove(), which is idempotent.
        }
    }

    @Override
    public String toString() {
        return socketFile.toString();
    }

    private synchronized void remove() {
        if (removed) {
            return;
        }
        removed = true;
        try {
            Files.deleteIfExists(socketFile);
            if (privateDirectory != null) {
                Files.deleteIfExists(privateDirectory);
            }
        } catch (IOException e) {
            // Close and the shutdown hook have no caller to tell: say what is left behind.
            System.err.println("framebench: cannot remove " + (privateDirectory != null ? privateDirectory : socketFile) + ": " + e);
        }
    }

    private static UdsSocketPath listenPath(String text) {
        Path socketFile = requireFits(LISTEN, absolute(LISTEN, text), "give a shorter listen=PATH");
        if (Files.exists(socketFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new BadInputException("cannot listen on " + socketFile + ": a file is already there; remove it if it is a stale socket,"
                    + " or choose another listen=PATH");
        }
        if (!Files.isDirectory(socketFile.getParent())) {
            throw new BadInputException("cannot listen on " + socketFile + ": no directory " + socketFile.getParent()
                    + "; create it or choose another listen=PATH");
        }
        return new UdsSocketPath(socketFile, null);
    }

    private static UdsSocketPath privatePath(TransportOptions options) {
        String dirText = options.get(DIR, System.getProperty("java.io.tmpdir"));
        Path parent = socketParent(dirText);
        // mkdir fails if the name exists, so a guessable name cannot be hijacked; randomness only avoids clashes.
        String name = DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        Path directory = parent.resolve(name);
        Path socketFile = requireFits(DIR, directory.resolve(SOCKET_FILE_NAME), "choose a shorter directory with uds.dir=DIR, e.g. uds.dir=/tmp");
        try {
            if (POSIX) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
                // The umask applies to mkdir; set the mode outright so the owner keeps rwx whatever it is.
                Files.setPosixFilePermissions(directory, PRIVATE_DIRECTORY);
            } else {
                Files.createDirectory(directory);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException("bad value for option " + DIR + ": " + DIR + "=" + dirText + "; no such directory, give an existing one");
        } catch (IOException e) {
            throw new TransportException("cannot make socket directory " + directory + ": " + e, e);
        }
        return new UdsSocketPath(socketFile, directory);
    }

    /** {@code uds.dir} as an absolute path; a value that is no path is bad input. */
    private static Path socketParent(String dirText) {
        try {
            return Path.of(dirText).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new BadInputException("bad value for option " + DIR + ": " + DIR + "=" + dirText + "; give a directory path");
        }
    }

    private static Path absolute(String key, String text) {
        try {
            Path path = Path.of(text);
            if (path.isAbsolute()) {
                return path.normalize();
            }
        } catch (InvalidPathException ignored) {
            // Reported below with the value and what is allowed.
        }
        throw new BadInputException("bad value for " + key + ": " + key + "=" + text
                + "; give the absolute path of a Unix-domain socket file, e.g. /tmp/framebench/" + SOCKET_FILE_NAME);
    }

    private static Path requireFits(String key, Path socketFile, String fix) {
        int bytes = socketFile.toString().getBytes(PATH_ENCODING).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new BadInputException("socket path too long for " + key + ": " + socketFile + " is " + bytes + " bytes, the limit is "
                    + MAX_PATH_BYTES + " (sun_path holds " + SUN_PATH_BYTES + " bytes with the terminating NUL); " + fix);
        }
        return socketFile;
    }
}
