package dev.framebench.harness.browser;

import dev.framebench.harness.util.Executables;
import dev.framebench.error.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the Chromium to launch is: {@value #ENV} if set, else {@code chromium} on PATH (Debian's package {@code chromium}). */
public final class ChromiumBinary {
    /** Names the browser binary explicitly (another build, a wrapper script); wins over PATH. */
    public static final String ENV = "FRAMEBENCH_CHROMIUM";
    static final String ON_PATH = "chromium";

    private ChromiumBinary() {
    }

    /** The executable to launch; fails with one line (exit 2) naming the package to install when there is none. */
    public static Path find() {
        return find(System.getenv(ENV), System.getenv("PATH"));
    }

    static Path find(String configured, String path) {
        if (configured != null && !configured.isBlank()) {
            Path binary = Path.of(configured);
            if (Files.isRegularFile(binary) && Files.isExecutable(binary)) {
                return binary;
            }
            throw new BadInputException(ENV + "=" + configured + " is not an executable file; point it at a Chromium binary, or unset it"
                    + " to use chromium on PATH (Debian: apt-get install chromium)");
        }
        Optional<Path> onPath = Executables.onPath(ON_PATH, path);
        if (onPath.isPresent()) {
            return onPath.get();
        }
        throw new BadInputException("sender chromium needs Chromium and there is no chromium on PATH; install Debian's package chromium"
                + " (apt-get install chromium) or set " + ENV + " to a Chromium binary");
    }
}
