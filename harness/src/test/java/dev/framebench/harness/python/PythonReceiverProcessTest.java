package dev.framebench.harness.python;

import dev.framebench.error.BadInputException;
import dev.framebench.frame.Framing;
import dev.framebench.transport.websocket.WebSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python receiver's process on its own: how it starts, what it says when its interpreter lacks a module,
 * and that it ends when the JVM's end of its stdin closes. Real interpreters: Debian's /usr/bin/python3 (or
 * {@code FRAMEBENCH_PYTHON}'s), and wrappers around it that hide a module.
 */
class PythonReceiverProcessTest {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void reportsWhereItListensAndWhatRunsIt() {
        try (PythonReceiverProcess python = start(real(), "verify")) {
            int port = python.awaitListening(System.nanoTime() + DEADLINE_NANOS);
            assertTrue(port > 0 && port < 65536, "port " + port);
            Map<String, String> d = python.description();
            assertEquals("python", d.get("receiver"));
            assertEquals(Long.toString(python.pid()), d.get("python.pid"), d.toString());
            assertTrue(d.get("python").startsWith("3."), d.toString());
            assertTrue(d.containsKey("python.websockets"), d.toString());
            assertTrue(d.get("python.crc32c").startsWith("crcmod._crcfunext"), d.toString());
        }
    }

    @Test
    void exitsAtOnceWhenItsStdinReachesEndOfFile() throws Exception {
        try (PythonReceiverProcess python = start(real(), "none")) {
            python.awaitListening(System.nanoTime() + DEADLINE_NANOS);
            long closed = System.nanoTime();
            python.stdin().close();
            assertTrue(python.handle().onExit().get(10, TimeUnit.SECONDS) != null, "exited");
            System.err.printf("python receiver exited %.0f ms after its stdin closed%n", (System.nanoTime() - closed) / 1e6);
            assertFalse(python.handle().isAlive());
        }
    }

    /** An interpreter without websockets: Debian's python3 with its site packages off (-S), the way a venv without it fails. */
    @Test
    void missingWebsocketsFailsWithOneLineNamingTheDebianPackage(@TempDir Path dir) throws Exception {
        Path wrapper = script(dir.resolve("python-without-site"), "exec " + real().path() + " -S \"$@\"\n");
        PythonInterpreter interpreter = PythonInterpreter.fromEnvironment(Map.of(PythonInterpreter.ENV, wrapper.toString()));
        assertEquals(PythonInterpreter.ENV, interpreter.source());
        try (PythonReceiverProcess python = start(interpreter, "none")) {
            BadInputException e = assertThrows(BadInputException.class, () -> python.awaitListening(System.nanoTime() + DEADLINE_NANOS));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("the python receiver needs the websockets module, which "), e.getMessage());
            assertTrue(e.getMessage().contains("install Debian's package python3-websockets"), e.getMessage());
            assertFalse(python.handle().onExit().get(5, TimeUnit.SECONDS).isAlive(), "exited after its one line");
        }
    }

    /** Verify needs crcmod's C extension: an interpreter whose crcmod is an empty package fails at start, naming python3-crcmod. */
    @Test
    void verifyWithoutTheCrcExtensionFailsNamingTheDebianPackage(@TempDir Path dir) throws IOException {
        Path fake = Files.createDirectories(dir.resolve("shadow/crcmod"));
        Files.writeString(fake.resolve("__init__.py"), "");
        // Runs the script as the real interpreter would, with the empty crcmod first on the path.
        Path wrapper = script(dir.resolve("python-without-crcmod"), "shift\nexec " + real().path() + " -I -c 'import runpy, sys; sys.path.insert(0, \""
                + dir.resolve("shadow") + "\"); sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name=\"__main__\")' \"$@\"\n");
        try (PythonReceiverProcess python = start(new PythonInterpreter(wrapper, "a test wrapper"), "verify")) {
            BadInputException e = assertThrows(BadInputException.class, () -> python.awaitListening(System.nanoTime() + DEADLINE_NANOS));
            assertTrue(e.getMessage().contains("install Debian's package python3-crcmod"), e.getMessage());
        }
        // Without verify it needs no CRC, and starts.
        try (PythonReceiverProcess python = start(new PythonInterpreter(wrapper, "a test wrapper"), "read")) {
            assertTrue(python.awaitListening(System.nanoTime() + DEADLINE_NANOS) > 0);
        }
    }

    @Test
    void aMissingInterpreterFailsWithOneLine(@TempDir Path dir) {
        PythonInterpreter missing = PythonInterpreter.fromEnvironment(Map.of(PythonInterpreter.ENV, dir.resolve("python9").toString()));
        BadInputException e = assertThrows(BadInputException.class, () -> start(missing, "none"));
        assertEquals("the python receiver's interpreter " + dir.resolve("python9") + " (FRAMEBENCH_PYTHON) does not exist; install Debian's packages"
                + " python3 python3-websockets python3-crcmod, or set FRAMEBENCH_PYTHON to a Python 3 interpreter that has websockets", e.getMessage());
    }

    private static PythonReceiverProcess start(PythonInterpreter interpreter, String consume) {
        return PythonReceiverProcess.start(interpreter, consume, null, WebSocketOptions.MAX_MESSAGE_BYTES, Framing.MAX_PAYLOAD_BYTES);
    }

    private static PythonInterpreter real() {
        return PythonInterpreter.fromEnvironment(System.getenv());
    }

    private static Path script(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }
}
