package dev.framebench.harness.profiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile in the collapsed ("folded") format async-profiler and Brendan Gregg's FlameGraph tools share:
 * one line per distinct stack, frames root first separated by {@code ;}, then a space and its sample
 * count. Kernel frames end in {@code _[k]}. A frame may itself hold spaces (C++ signatures), so the count
 * is what follows the last space.
 *
 * @param samples samples per stack, in file order
 * @param total   samples of all stacks
 */
public record CollapsedStacks(Map<List<String>, Long> samples, long total) {
    public static final String KERNEL_SUFFIX = "_[k]";

    public static CollapsedStacks read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read collapsed stacks " + file + ": " + e.getMessage(), e);
        }
    }

    public static CollapsedStacks parse(List<String> lines) {
        Map<List<String>, Long> samples = new LinkedHashMap<>();
        long total = 0;
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            List<String> stack = List.of(line.substring(0, space).split(";"));
            samples.merge(stack, count, Long::sum);
            total += count;
        }
        return new CollapsedStacks(Collections.unmodifiableMap(samples), total);
    }

    /** Whether any stack reaches into the kernel: only perf_events see there, and only where the kernel lets them. */
    public boolean hasKernelFrames() {
        for (List<String> stack : samples.keySet()) {
            for (String frame : stack) {
                if (frame.endsWith(KERNEL_SUFFIX)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Self samples per frame: the samples whose stack ends in it (the frame that was on CPU). */
    public Map<String, Long> selfSamples() {
        Map<String, Long> self = new LinkedHashMap<>();
        samples.forEach((stack, count) -> self.merge(stack.getLast(), count, Long::sum));
        return self;
    }

    /** Whether some stack contains a frame that contains {@code fragment}. */
    public boolean anyFrameContains(String fragment) {
        return samples.keySet().stream().anyMatch(stack -> stack.stream().anyMatch(f -> f.contains(fragment)));
    }
}
