package dev.framebench.example.fifo;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code fifo}: frames through a POSIX named pipe (a FIFO made with {@code mkfifo(3)}), header and
 * payload back to back as the socket transports carry them (docs/WIRE.md, section 1). Each frame
 * crosses two copies the kernel makes (sender user to pipe buffer, pipe buffer to receiver user), in
 * chunks of at most the pipe's capacity (64 KiB unless {@code fifo.pipeBytes} raises it).
 *
 * <p>The receiver makes {@value FifoFile#FILE_NAME}, mode 0600, in a private folder (0700) of its own under
 * {@code fifo.dir}, opens its read end, and publishes the FIFO's absolute path as the endpoint. The
 * sender opens the write end and takes an open-file-description write lock on it, so a second framebench
 * sender is refused. <b>A FIFO cannot exclude a second writer</b>: the kernel lets anyone who may open
 * it write, and a writer that takes no lock is not refused; the modes keep other users out, not this
 * user or root. Every call runs on libc through FFM (see {@link Posix}), Linux only.
 *
 * <p>This transport lives outside framebench's modules on purpose: it is the example of adding one with
 * a class set, one line in {@code META-INF/services/dev.framebench.transport.Transport}, and a subclass
 * of the conformance test.
 *
 * @implSpec Stateless and thread-safe, as the SPI asks; the ends it opens are used by one thread each.
 */
public final class FifoTransport implements Transport {
    /** As long as tcp's connect: how long a sender waits for a reader to have the FIFO open. */
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Path PIPE_MAX_SIZE = Path.of("/proc/sys/fs/pipe-max-size");

    @Override
    public String name() {
        return "fifo";
    }

    @Override
    public String description() {
        return "POSIX named pipe (mkfifo) through FFM, frames back to back; copies user->pipe buffer->user";
    }

    @Override
    public Map<String, String> options() {
        return FifoOptions.help();
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        return openReceiver(options, 0);
    }

    /** {@code maxFrameBytes} sizes the receive buffer up front, so no frame of the run makes it grow. */
    @Override
    public FrameReceiver openReceiver(TransportOptions options, int maxFrameBytes) {
        requireLinux();
        FifoOptions fifo = FifoOptions.parse(options);
        FifoFile file = FifoFile.create(fifo.dir());
        FifoEnd readEnd = null;
        try {
            readEnd = FifoEnd.openReadEnd(file.fifo());
            if (fifo.pipeBytes() > 0) {
                setPipeBytes(readEnd, fifo.pipeBytes());
            }
            return new FifoReceiver(file, readEnd, maxFrameBytes, FifoReceiver.description(fifo, readEnd));
        } catch (RuntimeException e) {
            if (readEnd != null) {
                readEnd.close();
            }
            file.close();
            throw e;
        }
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        requireLinux();
        // Parsed only to reject a bad value on this side too: the pipe's size is the receiver's to set.
        FifoOptions.parse(options);
        return FifoSender.open(FifoFile.fromEndpoint(endpoint), Deadline.after(OPEN_TIMEOUT));
    }

    private static void setPipeBytes(FifoEnd readEnd, int pipeBytes) {
        int set = readEnd.setPipeBytes(pipeBytes);
        if (set >= 0) {
            return;
        }
        if (-set == Posix.EPERM) {
            throw new BadInputException("pipe too large for this user: " + FifoOptions.PIPE_BYTES + "=" + pipeBytes
                    + " pipe-max-size=" + pipeMaxSize() + " (or the user's pipe-user-pages-soft budget is spent); lower "
                    + FifoOptions.PIPE_BYTES + " to at most pipe-max-size, or raise it: sysctl fs.pipe-max-size=" + pipeBytes);
        }
        throw new TransportException("cannot set the pipe size of fifo " + readEnd.path() + " to " + FifoOptions.PIPE_BYTES + "="
                + pipeBytes + " (F_SETPIPE_SZ): " + Posix.describe(-set) + "; leave " + FifoOptions.PIPE_BYTES + " at 0 for the kernel's size");
    }

    /** The unprivileged limit on a pipe's size, for the error that names it. */
    static String pipeMaxSize() {
        try {
            // One buffered read: a sysctl file answers a read at a non-zero offset with end of file, so a
            // reader that starts with a single byte (Files.readString here) gets "1".
            return Files.readAllLines(PIPE_MAX_SIZE).getFirst().trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The constants in {@link Posix} are Linux's on these two architectures, and checked for no others. */
    private static void requireLinux() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            throw new BadInputException("the fifo transport needs Linux on x86_64 or aarch64: os.name=" + os + " os.arch=" + arch
                    + "; run it there, or choose another transport");
        }
    }
}
