package dev.framebench.transport.shm.agrona;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.shm.ShmFiles;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A ring file ({@link RingFileDescriptor}) mapped into this process: the receiver creates it, the sender
 * maps the existing one. The mapping is an FFM segment of a shared arena, so {@link #close()} unmaps it
 * at once (not whenever a {@code MappedByteBuffer} is collected) and any later access fails instead of
 * reading freed memory; Agrona's {@link UnsafeBuffer} wraps the segment's address.
 *
 * <p>Threading: open and close on any thread; the ring itself is single producer, single consumer.
 */
final class RingFile implements AutoCloseable {
    private final Path path;
    private final boolean owner;
    // Shared, not confined: a transport may be opened on one thread and used, then closed, on another.
    private final Arena arena;
    private final MemorySegment records;
    private final RingBuffer ring;
    private final RingControl control;

    private RingFile(Path path, boolean owner, Arena arena, MemorySegment mapping, int capacity, boolean manyProducers) {
        this.path = path;
        this.owner = owner;
        this.arena = arena;
        this.records = mapping.asSlice(0, capacity);
        UnsafeBuffer buffer = new UnsafeBuffer(mapping.address(), capacity + RingBufferDescriptor.TRAILER_LENGTH);
        this.ring = manyProducers ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
        this.control = new RingControl(mapping.asSlice(RingFileDescriptor.controlOffset(capacity), RingFileDescriptor.CONTROL_LENGTH));
    }

    /**
     * Creates and maps a new ring file in {@code dir}, owned (and deleted on close) by this process. A new
     * file of a tmpfs reads as zeros without a page being touched: that is the zeroing Agrona needs.
     */
    static RingFile create(Path dir, int capacity, boolean manyProducers, boolean helloRequired) {
        Path path = ShmFiles.createFile(dir, "agrona", RingFileDescriptor.fileBytes(capacity));
        try {
            RingFile file = map(path, true, capacity, manyProducers);
            file.control.initialise(capacity, ProcessHandle.current().pid(), manyProducers, helloRequired);
            return file;
        } catch (RuntimeException e) {
            ShmFiles.delete(path);
            throw e;
        }
    }

    /** Maps an existing ring file the receiver created; fails with one line when it is not one. */
    static RingFile attach(Path path, boolean manyProducers) {
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new BadInputException("no shm-agrona ring at " + path + "; start the receiver first and pass its endpoint");
        } catch (IOException e) {
            throw new TransportException("cannot read shm-agrona ring " + path + ": " + e.getMessage(), e);
        }
        int capacity = RingFileDescriptor.capacityOf(size);
        if (capacity < 0) {
            throw new BadInputException("not an shm-agrona ring: " + path + " (" + size + " bytes is not a power of two plus the "
                    + RingFileDescriptor.fileBytes(0) + " bytes of trailer and control area)");
        }
        RingFile file = map(path, false, capacity, manyProducers);
        String problem = file.control.problem(capacity, manyProducers);
        if (problem != null) {
            file.close();
            throw new BadInputException("not an shm-agrona ring: " + path + " (" + problem + ")");
        }
        return file;
    }

    private static RingFile map(Path path, boolean owner, int capacity, boolean manyProducers) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // The mapping outlives the channel: closing the descriptor does not unmap.
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, RingFileDescriptor.fileBytes(capacity), arena);
            return new RingFile(path, owner, arena, mapping, capacity, manyProducers);
        } catch (IOException e) {
            arena.close();
            throw new TransportException("cannot map shm-agrona ring " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    int capacity() {
        return (int) records.byteSize();
    }

    /** The ring's record bytes, for views and claims of frames in place. */
    MemorySegment records() {
        return records;
    }

    RingBuffer ring() {
        return ring;
    }

    RingControl control() {
        return control;
    }

    /**
     * Receiver, one producer, before it accepts its sender: drops every record a stranger left in the ring,
     * committed or only claimed. The bytes from head to tail are zeroed, as Agrona's consumer leaves the bytes
     * it has read (a producer relies on them being zero), then the head moves to the tail with a release
     * store; the sender reads both positions only after the acceptance that follows, which publishes this.
     */
    void discardAll() {
        int capacity = capacity();
        long tail = ring.producerPosition();
        long head = ring.consumerPosition();
        for (long position = head; position < tail; ) {
            int index = (int) position & (capacity - 1);
            int bytes = (int) Math.min(tail - position, capacity - index);
            records.asSlice(index, bytes).fill((byte) 0);
            position += bytes;
        }
        ring.buffer().putLongRelease(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET, tail);
    }

    /** Unmaps; the receiver, which created the file, also deletes it. Nothing may touch the ring afterwards. */
    @Override
    public void close() {
        arena.close();
        if (owner) {
            ShmFiles.delete(path);
        }
    }
}
