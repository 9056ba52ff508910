package dev.framebench.transport.file;

import dev.framebench.transport.socket.HandoffChannel;
import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.Framing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads announced frame files of the receiver's folder into one receiver-owned native buffer and deletes
 * them: one copy per frame (page cache to user memory) with a plain {@code read}, not a mapping, because
 * a process that reads a file it was handed pays exactly this. The file's whole content is the frame, so
 * it must pass {@link Framing#checkMessage} as a WebSocket message does.
 *
 * <p>Threading: one thread (the receiver's); {@link #close()} may come from another once that one is done.
 */
final class FrameFileReader implements AutoCloseable {
    private final Path folder;
    // Shared, not confined: a transport may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private MemorySegment buffer = MemorySegment.NULL;
    private ByteBuffer bufferView;
    private MemorySegment view = MemorySegment.NULL;

    FrameFileReader(Path folder) {
        this.folder = folder;
    }

    /**
     * Reads the file {@code name} of the folder, deletes it, and returns a read-only view of its bytes,
     * valid until the next call. {@code name} must already be a plain file name.
     */
    MemorySegment readAndDelete(String name) {
        Path file = folder.resolve(name);
        try {
            // lstat first: a symbolic link could lead out of the folder, and opening a FIFO would block
            // with no deadline; only a regular file is a frame.
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new TransportException("announced frame file '" + HandoffChannel.printable(name) + "' in " + folder
                        + " is not a regular file");
            }
            long size = attributes.size();
            // Sized before reading, so a runaway file fails instead of exhausting memory.
            if (size < FrameHeader.LENGTH || size > Framing.MAX_FRAME_BYTES) {
                throw new TransportException("announced frame file '" + HandoffChannel.printable(name) + "' in " + folder
                        + " holds " + size + " bytes; a frame is " + FrameHeader.LENGTH + " to " + Framing.MAX_FRAME_BYTES + " bytes");
            }
            int frameBytes = (int) size;
            ByteBuffer target = destination(frameBytes);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                while (target.hasRemaining()) {
                    if (channel.read(target) < 0) {
                        throw new TransportException("announced frame file '" + HandoffChannel.printable(name) + "' in " + folder
                                + " shrank while being read: got " + target.position() + " of " + frameBytes + " bytes");
                    }
                }
            }
            Files.delete(file);
            MemorySegment frame = view(frameBytes);
            Framing.checkMessage(frame);
            return frame;
        } catch (NoSuchFileException e) {
            throw new TransportException("announced frame file '" + HandoffChannel.printable(name) + "' is missing from " + folder, e);
        } catch (IOException e) {
            throw new TransportException("cannot read announced frame file '" + HandoffChannel.printable(name) + "' in " + folder
                    + ": " + e.getMessage(), e);
        }
    }

    /** The buffer's first {@code frameBytes} as a direct ByteBuffer, so the read lands in native memory. */
    private ByteBuffer destination(int frameBytes) {
        if (buffer.byteSize() < frameBytes) {
            buffer = arena.allocate(frameBytes, 64);
            bufferView = buffer.asByteBuffer();
        }
        return bufferView.clear().limit(frameBytes);
    }

    private MemorySegment view(int frameBytes) {
        if (view.byteSize() != frameBytes || view.address() != buffer.address()) {
            // Frames of one run share a size: the view is made once, not per frame.
            view = buffer.asSlice(0, frameBytes).asReadOnly();
        }
        return view;
    }

    @Override
    public void close() {
        arena.close();
    }
}
