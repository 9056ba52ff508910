package dev.framebench.harness.report;

import dev.framebench.harness.run.EnvironmentProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether two results folders were measured on different machines, from their {@code env.json} (written
 * by {@link EnvironmentProbe}). The ruler does not make such runs comparable: moving the same code from AMD
 * EPYC to Intel Xeon hosts made {@code shm-agrona-mpsc} look 53% slower relative to {@code inproc-copy}.
 *
 * <p>Only what both folders record is compared; a missing or unreadable env.json, or a missing key, gives
 * no note and never an error, so old results folders still compare.
 */
public final class MachineMismatch {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What differs between machines, named for the note, at its JSON pointer in env.json. */
    private record Key(String name, String pointer) {
    }

    private static final List<Key> KEYS = List.of(
            new Key("CPU", "/cpu/model"),
            new Key("logical cores", "/cpu/logicalCores"),
            new Key("EC2 instance type", "/ec2/instanceType"),
            new Key("JDK", "/jdk/version"));

    private MachineMismatch() {
    }

    /** One line saying which machine facts differ, or empty when none that both folders recorded does. */
    public static Optional<String> note(Path baselineDir, Path currentDir) {
        JsonNode baseline = env(baselineDir);
        JsonNode current = env(currentDir);
        List<String> differences = new ArrayList<>();
        for (Key key : KEYS) {
            Optional<String> before = value(baseline, key);
            Optional<String> now = value(current, key);
            if (before.isPresent() && now.isPresent() && !before.get().equals(now.get())) {
                differences.add(key.name + " " + before.get() + " in the baseline, " + now.get() + " now");
            }
        }
        if (differences.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("[framebench] note: the runs come from different machines (" + String.join("; ", differences)
                + "): a change may be the machine's, not the code's; make the baseline on the machine that runs the nightly job");
    }

    private static JsonNode env(Path dir) {
        Path file = dir.resolve("env.json");
        if (!Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode env = MAPPER.readTree(Files.readString(file));
            return env == null ? MissingNode.getInstance() : env;
        } catch (IOException e) {
            // A broken env.json only costs the note; the figures are still compared.
            return MissingNode.getInstance();
        }
    }

    /** A recorded value; "unknown" is what the probe writes when it could not tell, so it says nothing. */
    private static Optional<String> value(JsonNode env, Key key) {
        JsonNode node = env.at(key.pointer);
        if (!node.isValueNode() || node.isNull()) {
            return Optional.empty();
        }
        String text = node.asText().trim();
        return text.isEmpty() || text.equals("unknown") ? Optional.empty() : Optional.of(text);
    }
}
