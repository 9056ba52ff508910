package dev.framebench.transport.file;

import dev.framebench.transport.socket.HandoffChannel;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.socket.SenderGate;
import dev.framebench.transport.shm.ShmFiles;

import java.lang.foreign.MemorySegment;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The receiving end of file-handoff: owns a private folder (0700) that the sender writes frame files
 * into, and a listening socket the sender announces them on. Each {@link #receive} reads one announced
 * file into a buffer of its own, deletes it, acknowledges it (one credit back to the sender), and hands
 * out a read-only view of the bytes, valid until {@link #release()}. The folder, and whatever is left in
 * it, is deleted on close.
 *
 * <p>Its sender is the one connection its {@link SenderGate} chooses: the first, or with a token the first
 * to present the run's hello, before its first announcement; a receiver given no token skips a hello its
 * sender presents ({@link HandoffChannel}).
 *
 * <p>Threading: one thread calls {@link #awaitSender}, {@link #receive} and {@link #release}; {@link #close()}
 * may come from another once that one is done.
 */
final class FileHandoffReceiver implements FrameReceiver {
    private final SenderGate gate;
    private final boolean tokenless;
    private final Path folder;
    private final String endpoint;
    private final FrameFileReader files;
    private final Map<String, String> description;
    private HandoffChannel channel;
    private boolean closed;

    /** Takes ownership of {@code server} and {@code folder}: both are closed and deleted by {@link #close()}. */
    FileHandoffReceiver(ServerSocketChannel server, FileHandoffEndpoint endpoint, Map<String, String> description, RunToken token) {
        this.folder = endpoint.folder();
        this.endpoint = endpoint.toString();
        this.gate = SenderGate.open(server, "file-handoff", "file-handoff://" + this.endpoint, token, null);
        this.tokenless = token == null;
        this.files = new FrameFileReader(folder);
        this.description = Map.copyOf(description);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        if (channel != null) {
            return;
        }
        channel = HandoffChannel.accepted(gate.awaitSender(deadlineNanos), "file-handoff://" + endpoint, tokenless);
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        awaitSender(deadlineNanos);
        String name = channel.nextAnnouncement(deadlineNanos);
        if (name == null) {
            return null;
        }
        MemorySegment frame = files.readAndDelete(name);
        // Acknowledged once the file is gone, not at release: credit counts files in the folder, and the
        // sender may write the next one while this frame is being consumed from the receiver's own buffer.
        channel.acknowledge(deadlineNanos);
        return frame;
    }

    @Override
    public void release() {
        // The buffer is reused by the next receive; the file was acknowledged when it was deleted.
    }

    @Override
    public int foreignConnectionsRefused() {
        return gate.refused();
    }

    @Override
    public Map<String, String> describe() {
        return description;
    }

    /** Deletes the folder and everything in it; closing again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.close();
        if (channel != null) {
            channel.close();
        }
        files.close();
        ShmFiles.delete(folder);
        // A sender writing as the connection closed may add one file after the sweep: it takes back files it
        // cannot announce, so the folder empties within moments; wait that long rather than leave it.
        for (int attempt = 0; attempt < 50 && java.nio.file.Files.exists(folder); attempt++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ShmFiles.delete(folder);
        }
    }
}
