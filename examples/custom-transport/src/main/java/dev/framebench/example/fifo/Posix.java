package dev.framebench.example.fifo;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls a FIFO needs, as FFM downcalls through {@link Linker#nativeLinker()}: {@code mkfifo},
 * {@code open}, {@code read}, {@code write}, {@code poll}, {@code fcntl} and {@code close}. Each returns
 * what libc returns; {@code errno} is captured by the downcall itself into the caller's slot
 * ({@link #errnoSlot}), because anything the JVM runs between a downcall and a later look at the
 * thread's {@code errno} may overwrite it.
 *
 * <p>Constants are Linux's. x86_64 and aarch64 agree on every value used here (the open flags, poll
 * events, fcntl commands and errno numbers below); {@code O_NOFOLLOW} is where they differ, which is
 * one reason it is not used.
 *
 * <p>Threading: any thread; an errno slot is used by one thread at a time.
 */
final class Posix {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    /** {@code struct pollfd { int fd; short events; short revents; }}. */
    static final long POLLFD_BYTES = 8;
    static final long POLLFD_FD_OFFSET = 0;
    static final long POLLFD_EVENTS_OFFSET = 4;
    static final long POLLFD_REVENTS_OFFSET = 6;

    /** Open-file-description locks (Linux 3.15+): owned by the open FIFO end, not by the process. */
    static final int F_OFD_GETLK = 36;
    static final int F_OFD_SETLK = 37;
    /** F_LINUX_SPECIFIC_BASE (1024) + 7 and + 8. */
    static final int F_SETPIPE_SZ = 1031;
    static final int F_GETPIPE_SZ = 1032;
    static final short F_WRLCK = 1;
    static final short F_UNLCK = 2;
    static final short SEEK_SET = 0;

    /**
     * {@code struct flock} on LP64 Linux (x86_64 and aarch64), 32 bytes:
     * <pre>
     *   0  short l_type     F_WRLCK = 1, F_UNLCK = 2
     *   2  short l_whence   SEEK_SET = 0
     *   4  (padding)
     *   8  off_t l_start    0
     *  16  off_t l_len      0 = to the end of the file, however far it grows
     *  24  pid_t l_pid      0 going in, as F_OFD_* require; -1 coming back (an OFD lock has no owner pid)
     *  28  (padding)
     * </pre>
     */
    static final long FLOCK_BYTES = 32;
    static final long FLOCK_TYPE_OFFSET = 0;
    static final long FLOCK_WHENCE_OFFSET = 2;
    static final long FLOCK_START_OFFSET = 8;
    static final long FLOCK_LEN_OFFSET = 16;
    static final long FLOCK_PID_OFFSET = 24;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EPIPE = 32;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO_VALUE = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    private static final MethodHandle MKFIFO = downcall("mkfifo", FunctionDescriptor.of(INT, ADDRESS, INT));
    /** {@code int open(const char *path, int flags, ...)}: the mode is variadic. */
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(INT, ADDRESS, INT, INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG));
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(INT, ADDRESS, LONG, INT));
    /** {@code int fcntl(int fd, int cmd, ...)} with an int argument (the pipe size commands). */
    private static final MethodHandle FCNTL_INT = downcall("fcntl", FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.firstVariadicArg(2));
    /** {@code int fcntl(int fd, int cmd, ...)} with a pointer argument (the lock commands). */
    private static final MethodHandle FCNTL_PTR = downcall("fcntl", FunctionDescriptor.of(INT, INT, INT, ADDRESS), Linker.Option.firstVariadicArg(2));

    private Posix() {
    }

    /** A slot of {@code arena} that each call below fills with the errno it left. */
    static MemorySegment errnoSlot(Arena arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    static int errno(MemorySegment slot) {
        return (int) ERRNO_VALUE.get(slot, 0L);
    }

    static int mkfifo(MemorySegment errno, MemorySegment path, int mode) {
        try {
            return (int) MKFIFO.invokeExact(errno, path, mode);
        } catch (Throwable t) {
            throw failed("mkfifo", t);
        }
    }

    static int open(MemorySegment errno, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(errno, path, flags, 0);
        } catch (Throwable t) {
            throw failed("open", t);
        }
    }

    static int close(MemorySegment errno, int fd) {
        try {
            return (int) CLOSE.invokeExact(errno, fd);
        } catch (Throwable t) {
            throw failed("close", t);
        }
    }

    static long read(MemorySegment errno, int fd, MemorySegment into, long bytes) {
        try {
            return (long) READ.invokeExact(errno, fd, into, bytes);
        } catch (Throwable t) {
            throw failed("read", t);
        }
    }

    static long write(MemorySegment errno, int fd, MemorySegment from, long bytes) {
        try {
            return (long) WRITE.invokeExact(errno, fd, from, bytes);
        } catch (Throwable t) {
            throw failed("write", t);
        }
    }

    static int poll(MemorySegment errno, MemorySegment pollFds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(errno, pollFds, count, timeoutMillis);
        } catch (Throwable t) {
            throw failed("poll", t);
        }
    }

    static int fcntl(MemorySegment errno, int fd, int command, int argument) {
        try {
            return (int) FCNTL_INT.invokeExact(errno, fd, command, argument);
        } catch (Throwable t) {
            throw failed("fcntl", t);
        }
    }

    static int fcntl(MemorySegment errno, int fd, int command, MemorySegment argument) {
        try {
            return (int) FCNTL_PTR.invokeExact(errno, fd, command, argument);
        } catch (Throwable t) {
            throw failed("fcntl", t);
        }
    }

    /** "EAGAIN (errno 11)": the symbolic name where it is one this transport meets, for one-line errors. */
    static String describe(int errno) {
        String name = switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case ENXIO -> "ENXIO";
            case 9 -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case 12 -> "ENOMEM";
            case EACCES -> "EACCES";
            case 16 -> "EBUSY";
            case EEXIST -> "EEXIST";
            case 20 -> "ENOTDIR";
            case 22 -> "EINVAL";
            case 24 -> "EMFILE";
            case 28 -> "ENOSPC";
            case 30 -> "EROFS";
            case EPIPE -> "EPIPE";
            case 36 -> "ENAMETOOLONG";
            case 40 -> "ELOOP";
            default -> null;
        };
        return name == null ? "errno " + errno : name + " (errno " + errno + ")";
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                "libc has no " + name + ": os.name=" + System.getProperty("os.name") + "; the fifo transport needs Linux"));
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    private static IllegalStateException failed(String call, Throwable t) {
        return new IllegalStateException("FFM downcall " + call + " failed: " + t, t);
    }
}
