package dev.framebench.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Linux futex on a 32-bit word in memory two processes map: {@code syscall(SYS_futex, ...)} through an
 * FFM downcall. Not FUTEX_PRIVATE: the word lives in a shared mapping, and the kernel keys the wait queue
 * on the underlying page, so a waiter in one process is woken by the other.
 *
 * <p>Threading: any thread; each call is one system call.
 */
public final class Futex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };
    /** long syscall(long number, ...): the futex arguments are variadic. */
    private static final MethodHandle SYSCALL = syscall();

    private Futex() {
    }

    /** True where the kernel and architecture let framebench use futexes. */
    public static boolean available() {
        return SYSCALL != null;
    }

    /**
     * Sleeps while the word at {@code word} (4-byte aligned) still holds {@code expected}, until woken or
     * {@code timeoutNanos} passed; returns at once if it already differs. Spurious returns are allowed:
     * callers re-check their condition.
     */
    public static void await(MemorySegment word, int expected, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);
            timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            long unused = (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected, timespec, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed", t);
        }
    }

    /** Wakes up to {@code waiters} threads sleeping on {@code word}; returns how many woke. */
    public static int wake(MemorySegment word, int waiters) {
        try {
            return (int) (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, waiters, MemorySegment.NULL, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed", t);
        }
    }

    private static MethodHandle syscall() {
        if (SYS_FUTEX < 0) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find("syscall").orElse(null);
            if (symbol == null) {
                return null;
            }
            return linker.downcallHandle(symbol,
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(1));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
