package dev.framebench.transport.shm.ffm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.framebench.transport.shm.ffm.ShmRing.INT;
import static dev.framebench.transport.shm.ffm.ShmRing.LONG;

/**
 * A ring file mapped the way a foreign peer would map it: raw bytes at the offsets the descriptor
 * documents, without any of this package's logic. Tests read the layout through it, and forge fields.
 */
final class RawRing implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment file;

    RawRing(String path) {
        try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            file = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(e);
        }
    }

    int headerInt(int offset) {
        return file.get(INT, offset);
    }

    long headerLong(int offset) {
        return file.get(LONG, offset);
    }

    void setHeaderLong(int offset, long value) {
        file.set(LONG, offset, value);
    }

    /** An int of the record header at data offset {@code recordOffset}. */
    int recordInt(int recordOffset, int field) {
        return file.get(INT, ShmRingDescriptor.HEADER_LENGTH + recordOffset + field);
    }

    void setRecordInt(int recordOffset, int field, int value) {
        file.set(INT, ShmRingDescriptor.HEADER_LENGTH + recordOffset + field, value);
    }

    byte dataByte(int offset) {
        return file.get(java.lang.foreign.ValueLayout.JAVA_BYTE, ShmRingDescriptor.HEADER_LENGTH + offset);
    }

    @Override
    public void close() {
        arena.close();
    }
}
