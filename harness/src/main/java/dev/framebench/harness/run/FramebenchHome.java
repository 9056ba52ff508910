package dev.framebench.harness.run;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout framebench runs from, for its profiles: {@code -Dframebench.home}, else found from the jar's place. */
public final class FramebenchHome {
    private FramebenchHome() {
    }

    public static Path root() {
        String property = System.getProperty("framebench.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        try {
            // harness/target/benchmarks.jar or harness/target/classes: three levels below the root.
            Path code = Path.of(FramebenchHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("profiles")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException ignored) {
            // Falls back to the working directory.
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path profiles() {
        return root().resolve("profiles");
    }
}
