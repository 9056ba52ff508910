package dev.framebench.example.fifo;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.Deadline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * One open end of a FIFO: the receiver's read end or the sender's write end. Both are opened
 * {@code O_NONBLOCK}, so that no call here can outlast a deadline: a read or write that cannot go on
 * returns at once, and the waiting happens in {@code poll(2)} with the time left.
 *
 * <p>Two facts of Linux FIFOs shape the read side. {@code read(2)} returns 0 whenever no writer has the
 * FIFO open, also before the first writer has come, so 0 alone is not end of stream; {@code poll(2)}
 * reports {@code POLLHUP} on a read end only once a writer has opened it since and every writer has
 * closed again, which is. And opening a write end non-blocking fails with {@code ENXIO} while no reader
 * has the FIFO open, so the receiver opens its read end before it publishes the endpoint.
 *
 * <p>Threading: one thread at a time; {@link #close()} may come from another once that one is done.
 */
final class FifoEnd implements AutoCloseable {
    /** {@link #read}: the pipe is empty and a writer is open, or none has come yet. */
    static final long NOTHING_YET = -1;
    /** {@link #write}: the pipe is full. */
    static final long FULL = -1;
    /** {@link #write}: no reader has the FIFO open any more (EPIPE). */
    static final long NO_READER = -2;

    /** Between tries to open a write end while no reader is there yet: short, since it is paid once. */
    private static final long OPEN_RETRY_NANOS = 1_000_000;

    private final Path path;
    // Shared, not confined: an end may be opened on one thread and used, then closed, on another.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = Posix.errnoSlot(arena);
    private final MemorySegment pollFd = arena.allocate(Posix.POLLFD_BYTES, 4);
    private final MemorySegment lock = arena.allocate(Posix.FLOCK_BYTES, 8);
    private int fd = -1;
    private boolean closed;

    private FifoEnd(Path path) {
        this.path = path;
    }

    /** Opens the read end at once, whether or not a writer has the FIFO open. */
    static FifoEnd openReadEnd(Path fifo) {
        FifoEnd end = new FifoEnd(fifo);
        // A blocking open of a read end waits, with no deadline, for a writer: hence O_NONBLOCK.
        int fd = Posix.open(end.errno, end.arena.allocateFrom(fifo.toString()), Posix.O_RDONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        if (fd < 0) {
            int e = Posix.errno(end.errno);
            end.close();
            throw new TransportException("cannot open fifo " + fifo + " for reading: " + Posix.describe(e)
                    + "; check that fifo.dir is a local file system this user can write");
        }
        end.fd = fd;
        return end;
    }

    /** Opens the write end, waiting until {@code deadlineNanos} for a reader to have the FIFO open. */
    static FifoEnd openWriteEnd(Path fifo, long deadlineNanos) {
        FifoEnd end = new FifoEnd(fifo);
        MemorySegment pathString = end.arena.allocateFrom(fifo.toString());
        while (true) {
            // O_CLOEXEC: a child this JVM starts must not inherit the write end, or the receiver would see
            // no end of stream once this sender dies.
            int fd = Posix.open(end.errno, pathString, Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
            if (fd >= 0) {
                end.fd = fd;
                return end;
            }
            int e = Posix.errno(end.errno);
            if (e == Posix.ENXIO && !Deadline.expired(deadlineNanos)) {
                LockSupport.parkNanos(Math.min(OPEN_RETRY_NANOS, Deadline.remainingNanos(deadlineNanos)));
            } else if (e != Posix.EINTR) {
                end.close();
                throw cannotOpenForWriting(fifo, e);
            }
        }
    }

    private static TransportException cannotOpenForWriting(Path fifo, int e) {
        return switch (e) {
            case Posix.ENXIO -> new TransportTimeoutException("timed out opening fifo " + fifo + " for writing: no reader has it open ("
                    + Posix.describe(e) + "); start the receiver first and check that it is still running");
            case Posix.ENOENT -> new TransportException("no fifo at " + fifo + " (" + Posix.describe(e)
                    + "); give the endpoint the receiver printed, while that receiver is open");
            case Posix.EACCES -> new TransportException("cannot open fifo " + fifo + " for writing: " + Posix.describe(e)
                    + "; it is private to the user who runs the receiver: run the sender as that user");
            default -> new TransportException("cannot open fifo " + fifo + " for writing: " + Posix.describe(e));
        };
    }

    Path path() {
        return path;
    }

    /**
     * Reads up to {@code bytes} into {@code into} at {@code offset}: returns how many (more than 0), 0 at
     * end of stream (a writer came, and no writer is left), or {@link #NOTHING_YET}.
     */
    long read(MemorySegment into, long offset, long bytes) {
        while (true) {
            long n = Posix.read(errno, fd, into.asSlice(offset, bytes), bytes);
            if (n > 0) {
                return n;
            }
            if (n == 0) {
                // No writer has it open now. End of stream only if one came and went (POLLHUP), and only
                // once the bytes it wrote last are read (POLLIN: it wrote and left after our read).
                short revents = poll(Posix.POLLIN, 0);
                return (revents & Posix.POLLIN) == 0 && (revents & Posix.POLLHUP) != 0 ? 0 : NOTHING_YET;
            }
            int e = Posix.errno(errno);
            if (e == Posix.EAGAIN) {
                return NOTHING_YET;
            }
            if (e != Posix.EINTR) {
                throw new TransportException("cannot read fifo " + path + ": " + Posix.describe(e));
            }
        }
    }

    /** Writes up to {@code bytes} from {@code from} at {@code offset}: how many, {@link #FULL} or {@link #NO_READER}. */
    long write(MemorySegment from, long offset, long bytes) {
        while (true) {
            long n = Posix.write(errno, fd, from.asSlice(offset, bytes), bytes);
            if (n >= 0) {
                return n;
            }
            int e = Posix.errno(errno);
            switch (e) {
                case Posix.EAGAIN:
                    return FULL;
                case Posix.EPIPE:
                    // The JVM ignores SIGPIPE, so a write to a FIFO nobody reads fails with EPIPE instead of killing us.
                    return NO_READER;
                case Posix.EINTR:
                    continue;
                default:
                    throw new TransportException("cannot write fifo " + path + ": " + Posix.describe(e));
            }
        }
    }

    /** Waits until the read end has bytes or end of stream; false once {@code deadlineNanos} passed first. */
    boolean awaitReadable(long deadlineNanos) {
        return await(Posix.POLLIN, deadlineNanos);
    }

    /** Waits until the write end has room (or its reader is gone); false once {@code deadlineNanos} passed first. */
    boolean awaitWritable(long deadlineNanos) {
        return await(Posix.POLLOUT, deadlineNanos);
    }

    /** Waits at most {@code millis} for bytes or end of stream on the read end; true if either came. */
    boolean pollReadable(int millis) {
        return poll(Posix.POLLIN, millis) != 0;
    }

    private boolean await(short events, long deadlineNanos) {
        while (true) {
            long millis = Deadline.remainingMillis(deadlineNanos);
            if (millis == 0) {
                return false;
            }
            if (poll(events, (int) Math.min(millis, Integer.MAX_VALUE)) != 0) {
                return true;
            }
        }
    }

    /** One poll(2) of this end; returns its revents, 0 on a timeout or a signal. */
    private short poll(short events, int timeoutMillis) {
        pollFd.set(ValueLayout.JAVA_INT, Posix.POLLFD_FD_OFFSET, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, Posix.POLLFD_EVENTS_OFFSET, events);
        pollFd.set(ValueLayout.JAVA_SHORT, Posix.POLLFD_REVENTS_OFFSET, (short) 0);
        int ready = Posix.poll(errno, pollFd, 1, timeoutMillis);
        if (ready < 0) {
            int e = Posix.errno(errno);
            if (e == Posix.EINTR) {
                return 0;
            }
            throw new TransportException("cannot poll fifo " + path + ": " + Posix.describe(e));
        }
        short revents = pollFd.get(ValueLayout.JAVA_SHORT, Posix.POLLFD_REVENTS_OFFSET);
        if ((revents & Posix.POLLNVAL) != 0) {
            throw new TransportException("fifo " + path + " is not open here (POLLNVAL): fd=" + fd + " was closed under its user");
        }
        return revents;
    }

    /**
     * Takes a write lock over the whole FIFO for this open end, so that a second framebench sender can
     * see the first and refuse; false if another open end holds it. The kernel keeps no one else out:
     * a writer that takes no lock writes all the same.
     */
    boolean tryLockAsSoleWriter() {
        if (fcntlLock(Posix.F_OFD_SETLK) == 0) {
            return true;
        }
        int e = Posix.errno(errno);
        if (e == Posix.EAGAIN || e == Posix.EACCES) {
            return false;
        }
        throw new TransportException("cannot lock fifo " + path + " (fcntl F_OFD_SETLK): " + Posix.describe(e)
                + "; open-file-description locks need Linux 3.15 or later");
    }

    /** True while another open end of this FIFO, in any process, holds the sender's write lock. */
    boolean writerLockHeld() {
        if (fcntlLock(Posix.F_OFD_GETLK) != 0) {
            int e = Posix.errno(errno);
            throw new TransportException("cannot test the lock of fifo " + path + " (fcntl F_OFD_GETLK): " + Posix.describe(e)
                    + "; open-file-description locks need Linux 3.15 or later");
        }
        return lock.get(ValueLayout.JAVA_SHORT, Posix.FLOCK_TYPE_OFFSET) != Posix.F_UNLCK;
    }

    private int fcntlLock(int command) {
        lock.fill((byte) 0);
        lock.set(ValueLayout.JAVA_SHORT, Posix.FLOCK_TYPE_OFFSET, Posix.F_WRLCK);
        lock.set(ValueLayout.JAVA_SHORT, Posix.FLOCK_WHENCE_OFFSET, Posix.SEEK_SET);
        lock.set(ValueLayout.JAVA_LONG, Posix.FLOCK_START_OFFSET, 0L);
        lock.set(ValueLayout.JAVA_LONG, Posix.FLOCK_LEN_OFFSET, 0L);
        lock.set(ValueLayout.JAVA_INT, Posix.FLOCK_PID_OFFSET, 0);
        return Posix.fcntl(errno, fd, command, lock);
    }

    /** The pipe's capacity in bytes (F_GETPIPE_SZ), shared by both ends. */
    int pipeBytes() {
        int bytes = Posix.fcntl(errno, fd, Posix.F_GETPIPE_SZ, 0);
        if (bytes < 0) {
            throw new TransportException("cannot read the pipe size of fifo " + path + " (F_GETPIPE_SZ): " + Posix.describe(Posix.errno(errno)));
        }
        return bytes;
    }

    /** Sets the pipe's capacity (F_SETPIPE_SZ; the kernel rounds up to a power of two pages): the new size, or -errno. */
    int setPipeBytes(int bytes) {
        int set = Posix.fcntl(errno, fd, Posix.F_SETPIPE_SZ, bytes);
        return set >= 0 ? set : -Posix.errno(errno);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (fd >= 0) {
            // Linux releases the descriptor even when close reports an error: never retry it.
            Posix.close(errno, fd);
            fd = -1;
        }
        arena.close();
    }
}
