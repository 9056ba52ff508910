package dev.framebench.harness.python;

import dev.framebench.error.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The interpreter that runs the Python receiver: Debian's {@code /usr/bin/python3}, whose packages
 * {@code python3-websockets} and {@code python3-crcmod} the receiver imports, unless the environment variable
 * {@value #ENV} names another.
 *
 * @param path   the interpreter's file
 * @param source where it came from, for error lines: {@code "FRAMEBENCH_PYTHON"} or {@code "the default"}
 */
public record PythonInterpreter(Path path, String source) {
    public static final String ENV = "FRAMEBENCH_PYTHON";
    public static final Path DEFAULT = Path.of("/usr/bin/python3");

    /** {@value #ENV} of {@code environment} when set and not blank, else {@link #DEFAULT}. */
    public static PythonInterpreter fromEnvironment(Map<String, String> environment) {
        String given = environment.getOrDefault(ENV, "").strip();
        return given.isEmpty() ? new PythonInterpreter(DEFAULT, "the default") : new PythonInterpreter(Path.of(given), ENV);
    }

    /** Fails with one line naming the file and the fix when it is not an executable file. */
    public PythonInterpreter requireExecutable() {
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new BadInputException("the python receiver's interpreter " + path + " (" + source + ") "
                    + (Files.exists(path) ? "is not an executable file" : "does not exist")
                    + "; install Debian's packages python3 python3-websockets python3-crcmod, or set " + ENV
                    + " to a Python 3 interpreter that has websockets");
        }
        return this;
    }
}
