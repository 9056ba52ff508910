package dev.framebench.harness.peer;

import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's java binary and class path, so a peer runs the same code on the same runtime. */
public final class Jvm {
    private Jvm() {
    }

    public static String javaBinary() {
        Path candidate = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(candidate)) {
            return candidate.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    public static String classPath() {
        return System.getProperty("java.class.path");
    }
}
