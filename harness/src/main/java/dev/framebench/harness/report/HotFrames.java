package dev.framebench.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a hot-frames JSON file the profiler step writes beside its flame graphs ({@code flames/*hot*.json}):
 * the top self-time frames of one side with their share of samples. The profiler's format is its own, so
 * this reads it leniently: an array of objects, or an object holding one, each with a name-like field
 * ({@code frame}, {@code name}, {@code method}, {@code symbol}) and a share-like one ({@code percent},
 * {@code pct}, {@code share}, {@code selfPercent}, or {@code fraction} as 0..1). Anything else reads as
 * empty and the report links the file instead.
 */
final class HotFrames {
    /** One frame and its share of the side's samples, in percent. */
    record HotFrame(String name, double percent) {
    }

    private static final List<String> NAME_FIELDS = List.of("frame", "name", "method", "symbol");
    private static final List<String> PERCENT_FIELDS = List.of("percent", "pct", "share", "selfPercent", "self");

    private HotFrames() {
    }

    static List<HotFrame> read(Path file, int limit) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        Optional<JsonNode> array = findArray(root);
        List<HotFrame> frames = new ArrayList<>();
        if (array.isEmpty()) {
            return frames;
        }
        for (JsonNode entry : array.get()) {
            String name = field(entry, NAME_FIELDS).map(JsonNode::asText).orElse(null);
            Optional<JsonNode> percent = field(entry, PERCENT_FIELDS);
            Optional<JsonNode> fraction = field(entry, List.of("fraction"));
            if (name == null || (percent.isEmpty() && fraction.isEmpty())) {
                continue;
            }
            double value = percent.isPresent() ? percent.get().asDouble() : fraction.get().asDouble() * 100;
            frames.add(new HotFrame(name, value));
            if (frames.size() == limit) {
                break;
            }
        }
        return frames;
    }

    private static Optional<JsonNode> findArray(JsonNode root) {
        if (root == null) {
            return Optional.empty();
        }
        if (root.isArray()) {
            return Optional.of(root);
        }
        for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
            JsonNode child = it.next();
            if (child.isArray() && !child.isEmpty() && child.get(0).isObject()) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> field(JsonNode entry, List<String> names) {
        for (String name : names) {
            JsonNode value = entry.get(name);
            if (value != null && !value.isNull()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
