package dev.framebench.harness.accounting;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real process tree: a shell with a busy child and an idle one, read as one and by kind. */
class ProcessTreeTest {
    @Test
    void theTreeIsTheRootAndEveryDescendantAndItsCpuIsTheirSumByKind() throws Exception {
        // The busy child counts in the shell itself (no child processes, whose CPU would go to it only when reaped),
        // then becomes a sleep; the idle one sleeps throughout.
        Process shell = new ProcessBuilder("sh", "-c", "(i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done; exec sleep 30) & sleep 30 & wait")
                .start();
        try {
            ProcessTree tree = new ProcessTree(shell.toHandle(), argv -> argv.isEmpty() ? "?" : argv.getFirst().endsWith("sleep") ? "sleep" : "shell");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tree.processes().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(3, tree.processes().size(), "the shell and its two children: " + tree.processes());
            while (tree.cpuNanosByKind().getOrDefault("sleep", 0L) + tree.cpuNanosByKind().getOrDefault("shell", 0L) < 200_000_000L
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Map<String, Long> byKind = tree.cpuNanosByKind();
            assertEquals(List.of("shell", "sleep"), List.copyOf(byKind.keySet()), "kinds by argv[0], in name order: " + byKind);
            long sum = byKind.values().stream().mapToLong(Long::longValue).sum();
            assertTrue(sum >= 200_000_000L, "the busy child's CPU is the tree's: " + byKind);
            assertEquals(sum, tree.cpuNanos(), 20_000_000L, "the whole is the sum of the kinds (one tick of slack between reads)");
            assertTrue(tree.peakRssBytes() > 0, "every process has a VmHWM");
        } finally {
            shell.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        assertEquals(-1, new ProcessTree(shell.toHandle(), argv -> "x").cpuNanos(), "a gone root reads as gone");
    }
}
