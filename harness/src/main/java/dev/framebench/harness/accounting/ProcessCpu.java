package dev.framebench.harness.accounting;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * CPU time (user + system) consumed so far by a process or a thread. Processes are read from
 * {@code /proc/<pid>/stat} through {@link ProcessHandle.Info#totalCpuDuration()}, which counts threads
 * that have already exited; its resolution is one clock tick (10 ms at USER_HZ=100), under 1% of the
 * CPU one 1-second iteration of two busy processes uses.
 */
public final class ProcessCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProcessCpu() {
    }

    /** CPU time of a live process in ns, or -1 once it is gone (a dead peer is reported where it broke the stream). */
    public static long processNanos(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos)
                .orElse(-1L);
    }

    public static long selfNanos() {
        return processNanos(ProcessHandle.current().pid());
    }

    /** CPU time of one live thread of this JVM, in ns; -1 if the thread has ended. */
    public static long threadNanos(Thread thread) {
        return THREADS.getThreadCpuTime(thread.threadId());
    }
}
