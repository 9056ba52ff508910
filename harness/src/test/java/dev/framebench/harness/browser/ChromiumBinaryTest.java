package dev.framebench.harness.browser;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where Chromium is, or one line (exit 2) saying how to get it. */
class ChromiumBinaryTest {
    @Test
    void findsChromiumOnPath() {
        // Fails, not skips, without Chromium: CI installs Debian's chromium, and the seed's sender needs it.
        assertTrue(Files.isExecutable(ChromiumBinary.find(null, System.getenv("PATH"))));
    }

    @Test
    void configuredChromiumThatIsNotThereFailsWithOneLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> ChromiumBinary.find("/nonexistent/chromium", System.getenv("PATH")));
        assertEquals("FRAMEBENCH_CHROMIUM=/nonexistent/chromium is not an executable file; point it at a Chromium binary, or unset it"
                + " to use chromium on PATH (Debian: apt-get install chromium)", e.getMessage());
    }

    @Test
    void noChromiumOnPathFailsWithOneLineNamingDebiansPackage() {
        BadInputException e = assertThrows(BadInputException.class, () -> ChromiumBinary.find(null, "/nonexistent"));
        assertEquals("sender chromium needs Chromium and there is no chromium on PATH; install Debian's package chromium"
                + " (apt-get install chromium) or set FRAMEBENCH_CHROMIUM to a Chromium binary", e.getMessage());
    }
}
