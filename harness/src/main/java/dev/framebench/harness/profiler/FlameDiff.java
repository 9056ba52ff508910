package dev.framebench.harness.profiler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A differential flame graph of two collapsed profiles, A (before) and B (after): two transports, or one
 * transport in two runs. Every frame is compared by its share of its own profile's samples, so profiles
 * of different lengths compare fairly; red frames grew from A to B, blue ones shrank, the deeper the
 * colour the larger the change. Each frame is drawn as wide as the mean of its two shares, so a frame
 * that vanished from B still shows (blue) instead of disappearing. Prints a headline: the frames whose
 * self share grew most and shrank most.
 *
 * <h2>HOW TO RUN</h2>
 * <pre>
 *   scripts/flamediff.sh runs/A/flames/tcp_1080p-i420_receiver.collapsed \
 *                        runs/B/flames/ws-javaws_1080p-i420_receiver.collapsed diff.html
 * </pre>
 */
public final class FlameDiff {
    /** Frames listed under "grew most" and "shrank most". */
    static final int HEADLINE_FRAMES = 5;

    /** One frame's self share in each profile, 0..1. */
    record Change(String frame, double shareA, double shareB) {
        double delta() {
            return shareB - shareA;
        }
    }

    private FlameDiff() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 3) {
            err.println("usage: scripts/flamediff.sh A.collapsed B.collapsed OUT.html  (red = grew from A to B, blue = shrank)");
            return 2;
        }
        Path a = Path.of(args[0]);
        Path b = Path.of(args[1]);
        Path html = Path.of(args[2]);
        for (Path input : List.of(a, b)) {
            if (!Files.isRegularFile(input)) {
                err.println("flamediff: no collapsed profile at " + input + "; give two .collapsed files from a --flames run's flames/");
                return 2;
            }
        }
        CollapsedStacks stacksA = CollapsedStacks.read(a);
        CollapsedStacks stacksB = CollapsedStacks.read(b);
        if (stacksA.total() == 0 || stacksB.total() == 0) {
            err.println("flamediff: " + (stacksA.total() == 0 ? a : b) + " holds no samples; nothing to compare");
            return 2;
        }
        List<Change> changes = selfChanges(stacksA, stacksB);
        String headline = headline(a.getFileName() + " (" + stacksA.total() + " samples)", b.getFileName() + " (" + stacksB.total() + " samples)", changes);
        try {
            Files.writeString(html, DiffFlameGraphHtml.render(DiffTree.of(stacksA, stacksB), a.getFileName() + " → " + b.getFileName(), headline),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("flamediff: cannot write " + html + ": " + e.getMessage());
            return 1;
        }
        out.print(headline);
        out.println("  -> " + html);
        return 0;
    }

    /** Self share of every frame in either profile, in both. */
    static List<Change> selfChanges(CollapsedStacks a, CollapsedStacks b) {
        Map<String, Long> selfA = a.selfSamples();
        Map<String, Long> selfB = b.selfSamples();
        Set<String> frames = new HashSet<>(selfA.keySet());
        frames.addAll(selfB.keySet());
        List<Change> changes = new ArrayList<>();
        for (String frame : frames) {
            changes.add(new Change(frame, (double) selfA.getOrDefault(frame, 0L) / a.total(), (double) selfB.getOrDefault(frame, 0L) / b.total()));
        }
        return changes;
    }

    /** What grew and what shrank most, in percentage points of each profile's samples. */
    static String headline(String nameA, String nameB, List<Change> changes) {
        List<Change> grew = changes.stream().filter(c -> c.delta() > 0)
                .sorted(Comparator.comparingDouble(Change::delta).reversed().thenComparing(Change::frame)).limit(HEADLINE_FRAMES).toList();
        List<Change> shrank = changes.stream().filter(c -> c.delta() < 0)
                .sorted(Comparator.comparingDouble(Change::delta).thenComparing(Change::frame)).limit(HEADLINE_FRAMES).toList();
        StringBuilder h = new StringBuilder();
        h.append("flamediff: A = ").append(nameA).append(", B = ").append(nameB).append(System.lineSeparator());
        h.append("grew most: ").append(grew.isEmpty() ? "nothing" : brief(grew.getFirst()))
                .append("; shrank most: ").append(shrank.isEmpty() ? "nothing" : brief(shrank.getFirst())).append(System.lineSeparator());
        h.append("  grew (self share of samples, A -> B):").append(System.lineSeparator());
        grew.forEach(c -> h.append(line(c)));
        h.append("  shrank:").append(System.lineSeparator());
        shrank.forEach(c -> h.append(line(c)));
        return h.toString();
    }

    private static String brief(Change c) {
        return String.format(Locale.ROOT, "%s (%+.1f pp)", c.frame(), 100 * c.delta());
    }

    private static String line(Change c) {
        return String.format(Locale.ROOT, "    %+6.1f pp  %5.1f%% -> %5.1f%%  %s%n", 100 * c.delta(), 100 * c.shareA(), 100 * c.shareB(), c.frame());
    }
}
