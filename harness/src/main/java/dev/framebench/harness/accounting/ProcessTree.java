package dev.framebench.harness.accounting;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A process and every process below it, read as one: a browser is a dozen processes (browser, zygotes,
 * renderer, network service, GPU), and a side's cost is all of them. Each process is put in a kind by
 * {@code kindOf} (its command line in, a short name out), so a reader can see where the cost sits.
 *
 * <p>The tree is walked again at every read, so processes started late (a renderer) are counted; one
 * that exits between two reads takes its CPU with it (the kernel adds a reaped child's CPU to its
 * parent's cumulative fields only, which /proc/pid/stat's utime and stime do not show), so a window
 * in which a process of the tree ends is not a clean window. Peak RSS is the sum of each process's
 * VmHWM: pages the processes share (a browser's code, its shared memory) are counted once per process,
 * so it overstates the tree's footprint.
 */
public final class ProcessTree {
    private final ProcessHandle root;
    private final Function<List<String>, String> kindOf;

    /** {@code kindOf} maps a process's argv (from /proc/pid/cmdline, argv[0] first) to its kind. */
    public ProcessTree(ProcessHandle root, Function<List<String>, String> kindOf) {
        this.root = root;
        this.kindOf = kindOf;
    }

    public ProcessHandle root() {
        return root;
    }

    /** The root and its live descendants, the root first. */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    /** User+system CPU of every process of the tree, ns; -1 once the root is gone. */
    public long cpuNanos() {
        long root = ProcessCpu.processNanos(this.root.pid());
        if (root < 0) {
            return -1;
        }
        return root + this.root.descendants().mapToLong(p -> Math.max(0, ProcessCpu.processNanos(p.pid()))).sum();
    }

    /** CPU of the tree by kind of process, ns, kinds sorted by name; empty once the root is gone. */
    public Map<String, Long> cpuNanosByKind() {
        Map<String, Long> byKind = new TreeMap<>();
        if (!root.isAlive()) {
            return byKind;
        }
        for (ProcessHandle process : processes()) {
            long cpu = ProcessCpu.processNanos(process.pid());
            if (cpu >= 0) {
                byKind.merge(kindOf.apply(argv(process.pid())), cpu, Long::sum);
            }
        }
        return byKind;
    }

    /** VmHWM summed over the tree's live processes (see the class comment), bytes. */
    public long peakRssBytes() {
        return processes().stream().mapToLong(p -> Math.max(0, PeakRss.bytes(p.pid()))).sum();
    }

    /** The argv of a live process, empty when it is gone or unreadable. */
    public static List<String> argv(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            return args;
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }
}
