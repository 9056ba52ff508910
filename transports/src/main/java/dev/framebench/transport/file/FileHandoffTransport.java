package dev.framebench.transport.file;

import dev.framebench.transport.socket.HandoffChannel;
import dev.framebench.frame.FramePreset;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import dev.framebench.transport.socket.ChannelIo;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.socket.IoMode;
import dev.framebench.transport.socket.Sockets;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code file-handoff}: the pattern of passing frames through intermediate storage, measured so its cost
 * is visible. The sender writes each frame as its own file into the receiver's private folder (a tmpfs,
 * {@code /dev/shm}, unless {@code file.dir} names another, e.g. on disk) and announces its name over a
 * loopback TCP connection; the receiver reads the file into its own buffer, deletes it and acknowledges
 * it. Per frame: one copy into the page cache and one out of it, a file created, renamed and deleted
 * (pages allocated and freed), and a few bytes each way on the socket. At most {@code file.inflight}
 * files are outstanding. Wire format: {@link HandoffChannel}; endpoint: {@link FileHandoffEndpoint}.
 */
public final class FileHandoffTransport implements Transport {
    static final String LISTEN = "listen";
    static final String DIR = "file.dir";
    static final String INFLIGHT = "file.inflight";
    static final String FSYNC = "file.fsync";
    static final int DEFAULT_INFLIGHT = 4;
    static final int MAX_INFLIGHT = 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "file-handoff";
    }

    @Override
    public String description() {
        return "each frame a file in a folder (tmpfs by default), its name announced over loopback TCP; copies user->page cache->user";
    }

    @Override
    public int copiesPerFrame() {
        // The sender writes the frame into a file (user memory into the page cache); the receiver reads it with a plain
        // read, not a mapping (page cache into its buffer): 2.
        return 2;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(LISTEN, "receiver address HOST:PORT for announcements (default 127.0.0.1:0, a free loopback port)");
        options.put(DIR, "folder the receiver makes its private frame folder in (default " + ShmFiles.DEFAULT_DIR + ", a tmpfs; a disk folder measures the disk)");
        options.put(INFLIGHT, "frame files the sender may have outstanding, written but not yet consumed (default " + DEFAULT_INFLIGHT + ")");
        options.put(FSYNC, "true | false: fdatasync each frame file before announcing it; costs a device flush per frame on disk (default false)");
        return options;
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        options.getInt(INFLIGHT, DEFAULT_INFLIGHT, 1, MAX_INFLIGHT);
        options.getBoolean(FSYNC, false);
        InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0"));
        parentFolder(options);
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        return openReceiver(options, FramePreset.maxFrameBytes());
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options, int maxFrameBytes) {
        int inflight = options.getInt(INFLIGHT, DEFAULT_INFLIGHT, 1, MAX_INFLIGHT);
        boolean fsync = options.getBoolean(FSYNC, false);
        InetSocketAddress listen = InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0"));
        Path parent = parentFolder(options);
        ShmFiles.sweepStale(parent);
        // At most inflight frame files exist at once, plus the one being written under its temporary name.
        ShmFiles.requireSpace(parent, (inflight + 1L) * maxFrameBytes, "lower " + INFLIGHT + " or set " + DIR + "=DIR");
        Path folder = ShmFiles.createDirectory(parent, "file");
        ServerSocketChannel server = null;
        try {
            server = Sockets.listen(listen, 0);
            FileHandoffEndpoint endpoint = new FileHandoffEndpoint((InetSocketAddress) server.getLocalAddress(), folder);
            Map<String, String> description = new LinkedHashMap<>();
            description.put("dir", parent.toString());
            description.put("fs", fileSystemType(parent));
            description.put("inflight", Integer.toString(inflight));
            description.put("fsync", Boolean.toString(fsync));
            return new FileHandoffReceiver(server, endpoint, description, options.token());
        } catch (IOException e) {
            Sockets.closeQuietly(server);
            ShmFiles.delete(folder);
            throw new TransportException("cannot open a file-handoff listener on " + InetAddresses.format(listen) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Sockets.closeQuietly(server);
            ShmFiles.delete(folder);
            throw e;
        }
    }

    @Override
    public FrameSender openSender(String endpointText, TransportOptions options) {
        int inflight = options.getInt(INFLIGHT, DEFAULT_INFLIGHT, 1, MAX_INFLIGHT);
        boolean fsync = options.getBoolean(FSYNC, false);
        FileHandoffEndpoint endpoint = FileHandoffEndpoint.parse(endpointText);
        if (!Files.isDirectory(endpoint.folder())) {
            throw new BadInputException("no frame folder " + endpoint.folder() + " from endpoint '" + endpointText
                    + "'; the sender must run on the receiver's machine, as its user, while the receiver is open");
        }
        String receiver = "receiver file-handoff://" + endpointText;
        SocketChannel channel = Sockets.connect(endpoint.address(), Deadline.after(CONNECT_TIMEOUT), "file-handoff://" + endpointText);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            Sockets.closeQuietly(channel);
            throw new TransportException("cannot configure the socket to " + receiver + ": " + e.getMessage(), e);
        }
        ChannelIo connection = ChannelIo.of(channel, IoMode.BLOCKING, receiver);
        try {
            connection.presentHello(options.token(), Deadline.after(CONNECT_TIMEOUT));
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        HandoffChannel handoff = new HandoffChannel(connection, false);
        return new FileHandoffSender(handoff, new FrameFileWriter(endpoint.folder(), fsync), inflight, receiver);
    }

    /** The folder {@code file.dir} names (default /dev/shm), absolute, checked to exist and be writable. */
    private static Path parentFolder(TransportOptions options) {
        return ShmFiles.folder(DIR, options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
    }

    /** tmpfs, ext4, xfs...: recorded with the results, since it decides what a frame file costs. */
    private static String fileSystemType(Path folder) {
        try {
            return Files.getFileStore(folder).type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
