package dev.framebench.transport;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.tcp.TcpTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry finds transports through {@link java.util.ServiceLoader} only: this repo's from its services
 * file, and one from a jar built here at test time, outside every module, once that jar is on a second
 * JVM's class path.
 */
class TransportRegistryTest {
    private static final String SERVICES = "META-INF/services/" + Transport.class.getName();

    @Test
    void findsEveryTransportOfThisRepoInTheOrderOfItsServicesFile() {
        assertEquals("inproc-handoff, inproc-copy, null, tcp, tcp-netty, uds-jdk, uds-junix, ws-javaws, ws-netty, shm-ffm, shm-slots, shm-agrona,"
                + " shm-agrona-mpsc, aeron-ipc, file-handoff, s3-handoff", TransportRegistry.validNames());
        assertEquals(16, TransportRegistry.all().size());
        assertEquals("shm-agrona-mpsc", TransportRegistry.byName("shm-agrona-mpsc").name());
        assertTrue(TransportRegistry.byName("shm-agrona-mpsc").fanIn());
    }

    @Test
    void byNamesKeepsTheGivenOrderAndRejectsAnEmptyList() {
        assertEquals(List.of("tcp", "inproc-copy"), TransportRegistry.byNames(" tcp, ,inproc-copy").stream().map(Transport::name).toList());
        BadInputException e = assertThrows(BadInputException.class, () -> TransportRegistry.byNames(" , "));
        assertEquals("no transport given; valid transports: " + TransportRegistry.validNames(), e.getMessage());
    }

    @Test
    void rejectsTwoProvidersOfOneNameNamingBothClasses() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> TransportRegistry.index(List.of(new TcpTransport(), new ImpostorTcp())));
        assertEquals("two transports are named 'tcp': " + TcpTransport.class.getName() + " and " + ImpostorTcp.class.getName()
                + "; remove one of them from the class path (or rename it)", e.getMessage());
    }

    @Test
    void findsATransportJarAddedToTheClassPathFromOutsideThisRepo(@TempDir Path dir) throws Exception {
        Path jar = outsideTransportJar(dir, "carrier-pigeon");
        JvmRun run = listTransports(dir, jar, "carrier-pigeon");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("inproc-handoff, inproc-copy, null, tcp, tcp-netty, uds-jdk, uds-junix, ws-javaws, ws-netty, shm-ffm, shm-slots, shm-agrona,"
                + " shm-agrona-mpsc, aeron-ipc, file-handoff, s3-handoff, carrier-pigeon\ncom.example.outside.OutsideTransport\n", run.out());
    }

    @Test
    void aJarWhoseTransportTakesATakenNameIsOneLineNamingBothClasses(@TempDir Path dir) throws Exception {
        Path jar = outsideTransportJar(dir, "tcp");
        JvmRun run = listTransports(dir, jar, "tcp");
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("framebench: two transports are named 'tcp': " + TcpTransport.class.getName()
                + " and com.example.outside.OutsideTransport; remove one of them from the class path (or rename it)\n", run.err());
    }

    /** A jar holding one compiled transport named {@code name} and its services line, as a third party would ship it. */
    private static Path outsideTransportJar(Path dir, String name) throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(dir.resolve("src/com/example/outside"));
        Path source = Files.writeString(sources.resolve("OutsideTransport.java"), """
                package com.example.outside;

                import dev.framebench.transport.FrameReceiver;
                import dev.framebench.transport.FrameSender;
                import dev.framebench.transport.Transport;
                import dev.framebench.transport.TransportOptions;
                import java.util.Map;

                public final class OutsideTransport implements Transport {
                    public String name() { return "%s"; }
                    public String description() { return "a transport from outside the repo"; }
                    public Map<String, String> options() { return Map.of(); }
                    public FrameReceiver openReceiver(TransportOptions options) { throw new UnsupportedOperationException(); }
                    public FrameSender openSender(String endpoint, TransportOptions options) { throw new UnsupportedOperationException(); }
                }
                """.formatted(name));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String spi = Path.of(Transport.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(), "--class-path", spi, source.toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));
        Path jar = dir.resolve("outside-transport.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("com/example/outside/OutsideTransport.class"));
            out.write(Files.readAllBytes(classes.resolve("com/example/outside/OutsideTransport.class")));
            out.putNextEntry(new JarEntry(SERVICES));
            out.write("com.example.outside.OutsideTransport\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    /** Runs {@link RegistryJvm} with this JVM's class path plus {@code jar} after it, as a user would add one. */
    private static JvmRun listTransports(Path dir, Path jar, String name) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + jar, RegistryJvm.class.getName(), name);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("registry JVM did not exit within 60 s: " + Files.readString(err));
        }
        return new JvmRun(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record JvmRun(int exitCode, String out, String err) {
    }

    /** Claims tcp's name with a class of its own. */
    private static final class ImpostorTcp implements Transport {
        @Override
        public String name() {
            return "tcp";
        }

        @Override
        public String description() {
            return "not the real tcp";
        }

        @Override
        public Map<String, String> options() {
            return Map.of();
        }

        @Override
        public FrameReceiver openReceiver(TransportOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FrameSender openSender(String endpoint, TransportOptions options) {
            throw new UnsupportedOperationException();
        }
    }
}
