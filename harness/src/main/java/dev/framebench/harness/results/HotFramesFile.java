package dev.framebench.harness.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one {@code flames/<transport>_<frame>_hot.json} that the flame-graph profiler writes
 * ({@code profiler.FlameWindow}): per side, whether it was profiled, the event that really ran, the sample
 * count and the top self-time frames with their share of samples. A file that is not in that shape reads
 * as empty, and the report links it instead of guessing.
 */
public final class HotFramesFile {
    /** One frame and its share of the side's samples, in percent. */
    public record HotFrame(String name, long samples, double percent) {
    }

    /** One side of one benchmark; {@code why} says why a side has no samples of its own (inproc). */
    public record Side(String role, boolean profiled, String event, long samples, String why, List<HotFrame> top) {
    }

    static final List<String> ROLES = List.of("sender", "receiver");

    private HotFramesFile() {
    }

    public static List<Side> read(Path file, int limit) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        List<Side> sides = new ArrayList<>();
        for (String role : ROLES) {
            side(root.path(role), role, limit).ifPresent(sides::add);
        }
        return sides;
    }

    private static Optional<Side> side(JsonNode node, String role, int limit) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        List<HotFrame> top = new ArrayList<>();
        for (JsonNode entry : node.path("top")) {
            if (top.size() == limit) {
                break;
            }
            if (entry.path("frame").isTextual() && entry.path("share").isNumber()) {
                top.add(new HotFrame(entry.path("frame").asText(), entry.path("samples").asLong(), entry.path("share").asDouble() * 100));
            }
        }
        return Optional.of(new Side(role, node.path("profiled").asBoolean(false), node.path("event").asText("?"),
                node.path("samples").asLong(), node.path("why").asText(""), top));
    }
}
