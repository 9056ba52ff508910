package dev.framebench.harness.faults;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root, found upwards from the working directory (surefire runs in harness/). */
final class FramebenchRoot {
    private FramebenchRoot() {
    }

    static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("scripts")) && Files.isDirectory(p.resolve("profiles"))) {
                return p;
            }
        }
        throw new IllegalStateException("no framebench checkout above " + Path.of("").toAbsolutePath());
    }
}
