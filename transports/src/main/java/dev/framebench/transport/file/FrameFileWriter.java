package dev.framebench.transport.file;

import dev.framebench.error.TransportException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes each frame as its own file in the receiver's folder: {@code frame-<writer>-<n>.tmp} first, created
 * 0600, then renamed to {@code frame-<writer>-<n>}, so the name the receiver is told always holds a whole
 * frame. {@code <writer>} is random per writer, so that two senders in one folder (a stranger that came
 * first and was refused, say) never replace or delete each other's files. One copy per frame (user memory
 * to page cache) from a direct buffer; no fsync unless asked for.
 *
 * <p>Threading: one thread (the sender's).
 */
final class FrameFileWriter {
    static final String NAME_PREFIX = "frame-";
    static final String TEMP_SUFFIX = ".tmp";
    private static final Set<OpenOption> CREATE_NEW_FOR_WRITING = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<?> PRIVATE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path folder;
    private final boolean fsync;
    private final String prefix = NAME_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "-";
    private long nextFile;

    FrameFileWriter(Path folder, boolean fsync) {
        this.folder = folder;
        this.fsync = fsync;
    }

    /** Writes {@code frame} (its remaining bytes) to a new file and returns the file's name. */
    String write(ByteBuffer frame) {
        String name = prefix + nextFile;
        Path temp = folder.resolve(name + TEMP_SUFFIX);
        try {
            try (FileChannel file = FileChannel.open(temp, CREATE_NEW_FOR_WRITING, PRIVATE)) {
                while (frame.hasRemaining()) {
                    file.write(frame);
                }
                if (fsync) {
                    // fdatasync: the data reaches the device; a tmpfs has none, so it costs nothing there.
                    file.force(false);
                }
            }
            // rename(2): atomic within the folder, so the announced name is never a partial file.
            Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp);
            if (e instanceof NoSuchFileException && !Files.isDirectory(folder)) {
                throw new TransportException("frame folder " + folder + " is gone; the receiver has closed", e);
            }
            throw new TransportException("cannot write frame file " + temp + ": " + e.getMessage(), e);
        }
        nextFile++;
        return name;
    }

    /** Deletes a file this writer wrote but could not announce: the receiver never learns its name, so nobody else would. */
    void discard(String name) {
        deleteQuietly(folder.resolve(name));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The receiver deletes its whole folder at close; a leftover here is swept with it.
        }
    }
}
