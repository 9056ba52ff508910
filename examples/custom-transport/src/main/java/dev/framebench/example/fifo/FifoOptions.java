package dev.framebench.example.fifo;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fifo transport's options, parsed once into typed values; unknown keys are the harness's to reject
 * ({@link TransportOptions#requireKnownBy}) from {@link #help()}.
 *
 * @param dir       the folder the receiver makes its private FIFO folder in
 * @param pipeBytes the pipe capacity to ask for with {@code F_SETPIPE_SZ}; 0 keeps the kernel's (64 KiB)
 */
record FifoOptions(Path dir, int pipeBytes) {
    static final String DIR = "fifo.dir";
    static final String PIPE_BYTES = "fifo.pipeBytes";
    /** A FIFO's name costs no space, and its bytes live in the kernel's pipe buffer whatever the folder. */
    static final Path DEFAULT_DIR = ShmFiles.DEFAULT_DIR;
    static final int MAX_PIPE_BYTES = 1 << 30;

    static Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put(DIR, "folder the receiver makes its private FIFO folder in (default " + DEFAULT_DIR + ")");
        help.put(PIPE_BYTES, "pipe capacity in bytes set with fcntl(F_SETPIPE_SZ), up to /proc/sys/fs/pipe-max-size"
                + " for a normal user; 0 keeps the kernel's 64 KiB (default 0)");
        return help;
    }

    static FifoOptions parse(TransportOptions options) {
        return new FifoOptions(folder(options.get(DIR, DEFAULT_DIR.toString())), options.getInt(PIPE_BYTES, 0, 0, MAX_PIPE_BYTES));
    }

    /** The folder {@code fifo.dir} names, absolute, checked to exist and be writable by this user. */
    private static Path folder(String text) {
        Path dir;
        try {
            dir = Path.of(text).toAbsolutePath();
        } catch (InvalidPathException e) {
            dir = null;
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new BadInputException("bad value for option " + DIR + ": " + DIR + "=" + text
                    + "; allowed: an existing folder this user can write (default " + DEFAULT_DIR + ")");
        }
        return dir;
    }
}
