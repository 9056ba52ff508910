package dev.framebench.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers for results folders. */
public final class Results {
    private Results() {
    }

    /** Removes a folder and everything in it; a folder that is not there is fine. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort: a leftover is reported by the caller's own check, not here.
                }
            });
        } catch (IOException ignored) {
            // As above.
        }
    }
}
