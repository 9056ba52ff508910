package dev.framebench.harness.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.Stream;

/**
 * Which CPUs a thread or a whole process may run on, through Linux's {@code sched_getaffinity} and
 * {@code sched_setaffinity} (FFM, no {@code taskset} needed). An affinity mask belongs to a thread: pinning a
 * process sets the mask of each of its threads that exists now ({@code /proc/PID/task}); a thread started
 * later inherits its creator's mask, so a JVM pinned once, early, stays pinned.
 */
public final class CpuAffinity {
    /** glibc's cpu_set_t: 1024 CPUs. */
    private static final int MASK_BYTES = 128;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle GET;
    private static final MethodHandle SET;

    static {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor signature = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        Linker.Option errno = Linker.Option.captureCallState("errno");
        GET = linker.downcallHandle(linker.defaultLookup().find("sched_getaffinity").orElseThrow(), signature, errno);
        SET = linker.downcallHandle(linker.defaultLookup().find("sched_setaffinity").orElseThrow(), signature, errno);
    }

    private CpuAffinity() {
    }

    /** The CPUs the calling thread may run on. */
    public static BitSet ofCurrentThread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES);
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) GET.invokeExact(state, 0, (long) MASK_BYTES, mask);
            if (rc != 0) {
                throw new IllegalStateException("sched_getaffinity failed: errno " + (int) ERRNO.get(state, 0L));
            }
            return BitSet.valueOf(mask.toArray(ValueLayout.JAVA_BYTE));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Pins the calling thread to {@code cpus}. */
    public static void pinCurrentThread(BitSet cpus) {
        set(0, cpus);
    }

    /**
     * Pins every thread process {@code pid} has now to {@code cpus}. A thread that ends meanwhile is skipped;
     * one started meanwhile inherits its creator's mask (pinned, or about to be).
     */
    public static void pinProcess(long pid, BitSet cpus) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                int tid = Integer.parseInt(task.getFileName().toString());
                try {
                    set(tid, cpus);
                } catch (IllegalStateException e) {
                    if (Files.exists(task)) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the threads of process " + pid + " in " + tasks, e);
        }
    }

    /**
     * What the kernel says process {@code pid} (its main thread) may run on, {@code Cpus_allowed_list} of
     * /proc/PID/status: the proof a pinned run logs, read back rather than assumed.
     */
    public static String allowedList(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static void set(int tid, BitSet cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("an empty CPU set");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES);
            byte[] bytes = cpus.toByteArray();
            if (bytes.length > MASK_BYTES) {
                throw new IllegalArgumentException("CPU " + cpus.length() + " is beyond the " + MASK_BYTES * 8 + " a mask holds");
            }
            MemorySegment.copy(bytes, 0, mask, ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) SET.invokeExact(state, tid, (long) MASK_BYTES, mask);
            if (rc != 0) {
                throw new IllegalStateException("sched_setaffinity(" + (tid == 0 ? "this thread" : "thread " + tid) + ", CPUs "
                        + CpuList.format(cpus) + ") failed: errno " + (int) ERRNO.get(state, 0L));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
