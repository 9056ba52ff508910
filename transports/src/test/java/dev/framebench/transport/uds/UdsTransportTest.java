package dev.framebench.transport.uds;

import dev.framebench.transport.socket.Strangers;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import dev.framebench.error.TransportTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The uds transports' own edges, on real socket files: socket directory and file, the sun_path limit,
 * the one-sender rule, deadlines, and clean-up. Frames across two JVMs are the conformance suite's.
 */
class UdsTransportTest {
    @TempDir
    Path dir;

    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    private TransportOptions inDir(String more) {
        return TransportOptions.parse("uds.dir=" + dir + ";" + more);
    }

    private static long entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"uds-jdk, uds.io=blocking", "uds-jdk, uds.io=selector", "uds-junix, ''"})
    void carriesFramesAndEndsCleanly(String name, String io) throws Exception {
        Transport uds = TransportRegistry.byName(name);
        TransportOptions options = inDir(io);
        try (FrameReceiver receiver = uds.openReceiver(options); FramePool pool = new FramePool(FramePreset.P720_I420, 3)) {
            assertTrue(Path.of(receiver.endpoint()).isAbsolute(), receiver.endpoint());
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = uds.openSender(receiver.endpoint(), options)) {
                    for (long seq = 0; seq < 20; seq++) {
                        sender.send(pool.stamp(0, seq, seq), seconds(10));
                    }
                    sender.claim(FramePreset.P720_I420.frameBytes(), seconds(10)).copyFrom(pool.stamp(0, 20, 20));
                    sender.commit();
                }
            });
            receiver.awaitSender(seconds(10));
            FrameVerifier verifier = new FrameVerifier();
            for (int i = 0; i <= 20; i++) {
                verifier.verify(receiver.receive(seconds(10)));
                receiver.release();
            }
            assertNull(receiver.receive(seconds(10)), "end of stream after the last frame");
            sent.get();
            assertEquals(name.equals("uds-jdk") ? io.substring("uds.io=".length()) : "blocking", receiver.describe().get("io"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void socketDirectoryIsPrivateAndRemovedOnClose(String name) throws IOException {
        Path socketFile;
        Path socketDirectory;
        try (FrameReceiver receiver = TransportRegistry.byName(name).openReceiver(inDir(""))) {
            socketFile = Path.of(receiver.endpoint());
            socketDirectory = socketFile.getParent();
            assertEquals(dir, socketDirectory.getParent());
            assertTrue(socketDirectory.getFileName().toString().startsWith("framebench-uds-" + ProcessHandle.current().pid() + "-"),
                    socketDirectory.toString());
            assertEquals(UdsSocketPath.PRIVATE_DIRECTORY, Files.getPosixFilePermissions(socketDirectory));
            assertEquals(UdsSocketPath.PRIVATE_SOCKET, Files.getPosixFilePermissions(socketFile));
            assertTrue(Files.readAttributes(socketFile, BasicFileAttributes.class).isOther(), "a socket, not a regular file");
        }
        assertFalse(Files.exists(socketFile));
        assertFalse(Files.exists(socketDirectory));
        assertEquals(0, entries(dir), "nothing left in uds.dir");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void listenNamesTheSocketFileAndCloseRemovesOnlyIt(String name) throws IOException {
        Path socketFile = dir.resolve("named.sock");
        try (FrameReceiver receiver = TransportRegistry.byName(name).openReceiver(TransportOptions.parse("listen=" + socketFile))) {
            assertEquals(socketFile.toString(), receiver.endpoint());
            assertEquals(UdsSocketPath.PRIVATE_SOCKET, Files.getPosixFilePermissions(socketFile));
        }
        assertFalse(Files.exists(socketFile));
        assertTrue(Files.isDirectory(dir), "the directory is the user's, not ours to remove");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void refusesToListenOverAnExistingFile(String name) throws IOException {
        Path existing = Files.writeString(dir.resolve("taken.sock"), "not ours");
        BadInputException e = assertThrows(BadInputException.class,
                () -> TransportRegistry.byName(name).openReceiver(TransportOptions.parse("listen=" + existing)));
        assertEquals("cannot listen on " + existing + ": a file is already there; remove it if it is a stale socket, or choose another listen=PATH",
                e.getMessage());
        assertEquals("not ours", Files.readString(existing));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void rejectsSocketPathOverTheLimit(String name) throws IOException {
        Transport uds = TransportRegistry.byName(name);
        Path deep = dir.resolve("d".repeat(80));
        BadInputException e = assertThrows(BadInputException.class, () -> uds.openReceiver(TransportOptions.parse("uds.dir=" + deep)));
        Matcher message = Pattern.compile("socket path too long for uds\\.dir: (\\S+) is (\\d+) bytes, the limit is 107"
                + " \\(sun_path holds 108 bytes with the terminating NUL\\); choose a shorter directory with uds\\.dir=DIR, e\\.g\\. uds\\.dir=/tmp")
                .matcher(e.getMessage());
        assertTrue(message.matches(), e.getMessage());
        assertTrue(message.group(1).startsWith(deep + "/framebench-uds-") && message.group(1).endsWith("/frames.sock"), message.group(1));
        assertEquals(message.group(1).length(), Integer.parseInt(message.group(2)));
        assertEquals(0, entries(dir), "nothing is created for a path that cannot work");

        Path longFile = dir.resolve("s".repeat(120) + ".sock");
        assertEquals("socket path too long for listen: " + longFile + " is " + longFile.toString().length() + " bytes, the limit is 107"
                        + " (sun_path holds 108 bytes with the terminating NUL); give a shorter listen=PATH",
                assertThrows(BadInputException.class, () -> uds.openReceiver(TransportOptions.parse("listen=" + longFile))).getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> uds.openSender(longFile.toString(), TransportOptions.NONE))
                .getMessage().startsWith("socket path too long for endpoint: " + longFile + " is "));
    }

    @Test
    void rejectsABadIoValueInOneLine() throws IOException {
        Transport uds = TransportRegistry.byName("uds-jdk");
        assertEquals("bad value for option uds.io: uds.io=epoll; allowed: selector, blocking",
                assertThrows(BadInputException.class, () -> uds.openReceiver(inDir("uds.io=epoll"))).getMessage());
        assertEquals("bad value for option uds.io: uds.io=epoll; allowed: selector, blocking",
                assertThrows(BadInputException.class, () -> uds.openSender("/tmp/x.sock", TransportOptions.parse("uds.io=epoll"))).getMessage());
        assertEquals(0, entries(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void rejectsAListenAddressThatIsNotAnAbsolutePath(String name) {
        assertEquals("bad value for listen: listen=127.0.0.1:7000; give the absolute path of a Unix-domain socket file, e.g. /tmp/framebench/frames.sock",
                assertThrows(BadInputException.class,
                        () -> TransportRegistry.byName(name).openReceiver(TransportOptions.parse("listen=127.0.0.1:7000"))).getMessage());
    }

    /**
     * SO_PEERCRED, on real sockets: with a token the peer must be the user owning the socket file. Only root
     * can reach another user's 0600 socket, so the test, as root, hands the socket file to {@code nobody}:
     * root's own sender, with the right token, is then refused; handed back, the next one streams.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void refusesAPeerOfAnotherUserEvenWithTheRightToken(String name) throws Exception {
        assumeTrue(Long.valueOf(0).equals(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue()),
                "needs root, the one user that can reach another user's socket file");
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal nobody;
        try {
            nobody = users.lookupPrincipalByName("nobody");
        } catch (UserPrincipalNotFoundException e) {
            assumeTrue(false, "no user nobody here");
            return;
        }
        Transport uds = TransportRegistry.byName(name);
        TransportOptions token = TransportOptions.parse("uds.dir=" + dir + ";token=" + RunToken.random().hex());
        try (FrameReceiver receiver = uds.openReceiver(token); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            Path socketFile = Path.of(receiver.endpoint());
            UserPrincipal owner = Files.getOwner(socketFile);
            Files.setOwner(socketFile, nobody);
            CompletableFuture<Void> otherUser = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = uds.openSender(receiver.endpoint(), token)) {
                    for (int i = 0; i < 100; i++) {
                        sender.send(pool.stamp(0, i, 0), seconds(10));
                    }
                }
            });
            assertThrows(TransportTimeoutException.class, () -> receiver.awaitSender(Deadline.after(Duration.ofSeconds(2))));
            assertEquals(1, receiver.foreignConnectionsRefused(), "refused for its uid, before its hello was read");
            assertThrows(Exception.class, otherUser::join, "its connection was closed");
            Files.setOwner(socketFile, owner);
            CompletableFuture<Void> sameUser = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = uds.openSender(receiver.endpoint(), token); FramePool own = new FramePool(FramePreset.P720_I420, 1)) {
                    sender.send(own.stamp(0, 0, 0), seconds(10));
                }
            });
            receiver.awaitSender(seconds(10));
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
            sameUser.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void refusesAndCountsForeignConnectionsWithoutDisturbingTheFirst(String name) throws Exception {
        Transport uds = TransportRegistry.byName(name);
        try (FrameReceiver receiver = uds.openReceiver(inDir("")); FramePool pool = new FramePool(FramePreset.P720_I420, 2)) {
            FrameSender sender = uds.openSender(receiver.endpoint(), TransportOptions.NONE);
            receiver.awaitSender(seconds(10));
            Path socketFile = Path.of(receiver.endpoint());
            assertTrue(Files.exists(socketFile), "the socket file stays while the receiver runs, so strangers are seen");
            Strangers.assertRefusedAndCounted(receiver, UnixDomainSocketAddress.of(socketFile), 1);
            Strangers.assertRefusedAndCounted(receiver, UnixDomainSocketAddress.of(socketFile), 2);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                sender.send(pool.stamp(0, 0, 0), seconds(10));
                sender.close();
            });
            new FrameVerifier().verify(receiver.receive(seconds(10)));
            receiver.release();
            assertNull(receiver.receive(seconds(10)));
            sent.get();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"uds-jdk, uds.io=blocking", "uds-jdk, uds.io=selector", "uds-junix, ''"})
    void receiveTimesOutWhenTheSenderStalls(String name, String io) throws Exception {
        try (FrameReceiver receiver = TransportRegistry.byName(name).openReceiver(inDir(io));
             SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(receiver.endpoint()))) {
            receiver.awaitSender(seconds(10));
            long deadline = Deadline.after(Duration.ofMillis(300));
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class, () -> receiver.receive(deadline));
            assertEquals("timed out reading a frame header (sender on unix:" + receiver.endpoint() + " stalled?)", e.getMessage());
            assertTrue(silent.isOpen());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void reportsASenderThatClosesMidFrame(String name) throws IOException {
        try (FrameReceiver receiver = TransportRegistry.byName(name).openReceiver(inDir("")); FramePool pool = new FramePool(FramePreset.P720_I420, 1)) {
            try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(receiver.endpoint()))) {
                receiver.awaitSender(seconds(10));
                ByteBuffer half = pool.stamp(0, 0, 0).asSlice(0, 100_000).asByteBuffer();
                while (half.hasRemaining()) {
                    raw.write(half);
                }
            }
            TransportException e = assertThrows(TransportException.class, () -> receiver.receive(seconds(10)));
            assertTrue(e.getMessage().contains("closed the connection mid-frame: got 99936 of 1382400 bytes of a frame payload"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void awaitSenderTimesOutWhenNobodyConnects(String name) throws IOException {
        try (FrameReceiver receiver = TransportRegistry.byName(name).openReceiver(inDir(""))) {
            assertThrows(TransportTimeoutException.class, () -> receiver.awaitSender(Deadline.after(Duration.ofMillis(200))));
        }
        assertEquals(0, entries(dir));
    }

    /** A receiver JVM stopped by SIGTERM, as Ctrl-C or a killed benchmark stops it, leaves no socket directory. */
    @ParameterizedTest
    @ValueSource(strings = {"uds-jdk", "uds-junix"})
    void removesTheSocketDirectoryWhenTheReceiverJvmIsTerminated(String name) throws Exception {
        Process receiverJvm = startJvm(List.of(), ReceiverThatNeverCloses.class, name, dir.toString());
        try {
            Path socketFile = Path.of(firstLine(receiverJvm));
            assertTrue(Files.exists(socketFile), socketFile.toString());
            receiverJvm.destroy();
            assertTrue(receiverJvm.waitFor(30, TimeUnit.SECONDS), "the receiver JVM exits on SIGTERM");
            assertFalse(Files.exists(socketFile.getParent()), "the shutdown hook removed " + socketFile.getParent());
        } finally {
            receiverJvm.destroyForcibly();
        }
    }

    @Test
    void junixFailsInOneLineWhenItsNativeLibraryCannotLoad() throws Exception {
        // junixsocket's own switch for "no native library", as on a platform it has no build for.
        Process jvm = startJvm(List.of("-Dorg.newsclub.net.unix.library.disable=true"), OpenJunixReceiver.class, dir.toString());
        try {
            String line = firstLine(jvm);
            assertTrue(line.startsWith("uds-junix cannot run on this machine: junixsocket's native library did not load ("), line);
            assertTrue(line.endsWith("); use uds-jdk, the JDK's own Unix-domain sockets"), line);
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, entries(dir), "the socket directory is removed when opening fails");
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static Process startJvm(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        // junixsocket prints its own stack trace when its library does not load: only stdout is asserted on.
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String firstLine(Process jvm) throws IOException {
        return new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** Main class of the JVM {@link #removesTheSocketDirectoryWhenTheReceiverJvmIsTerminated} stops. */
    static final class ReceiverThatNeverCloses {
        public static void main(String[] args) throws InterruptedException {
            FrameReceiver receiver = TransportRegistry.byName(args[0]).openReceiver(TransportOptions.parse("uds.dir=" + args[1]));
            System.out.println(receiver.endpoint());
            Thread.sleep(Duration.ofMinutes(1));
        }
    }

    /** Main class of the JVM {@link #junixFailsInOneLineWhenItsNativeLibraryCannotLoad} runs: prints what opening says. */
    static final class OpenJunixReceiver {
        public static void main(String[] args) {
            try (FrameReceiver receiver = TransportRegistry.byName("uds-junix").openReceiver(TransportOptions.parse("uds.dir=" + args[0]))) {
                System.out.println("opened " + receiver.endpoint());
            } catch (BadInputException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
