package dev.framebench.harness.profiler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.framebench.harness.util.Json;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one side's samples land, at a glance: the frames with the most self samples (the code that was
 * on CPU, not its callers), each with its share of the side's samples. A ws-javaws receiver shows its
 * unmasking and copies here; a tcp sender its kernel copy into the socket buffer.
 *
 * @param total samples of the side
 * @param top   the hottest frames, hottest first
 */
public record HottestFrames(long total, List<Frame> top) {
    /** Frames listed per side: enough to account for most samples, few enough to read in one glance. */
    public static final int TOP = 10;

    /** @param share self samples / all samples of the side, 0..1 */
    public record Frame(String name, long samples, double share) {
    }

    public static HottestFrames of(CollapsedStacks stacks, int limit) {
        long total = stacks.total();
        List<Frame> top = stacks.selfSamples().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(e -> new Frame(e.getKey(), e.getValue(), total == 0 ? 0 : (double) e.getValue() / total))
                .toList();
        return new HottestFrames(total, top);
    }

    /** {@code [{"frame":..,"samples":..,"share":..}, ...]} */
    public ArrayNode toJson() {
        ArrayNode frames = Json.MAPPER.createArrayNode();
        for (Frame f : top) {
            frames.addObject().put("frame", f.name()).put("samples", f.samples()).put("share", Math.round(f.share() * 1e4) / 1e4);
        }
        return frames;
    }

    /** A plain-text table: share, samples, frame; for the JMH log and the terminal. */
    public String toTable(String indent) {
        StringBuilder t = new StringBuilder();
        for (Frame f : top) {
            t.append(String.format(Locale.ROOT, "%s%6.1f%% %8d  %s%n", indent, 100 * f.share(), f.samples(), f.name()));
        }
        return t.toString();
    }
}
