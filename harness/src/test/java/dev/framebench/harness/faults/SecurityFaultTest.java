package dev.framebench.harness.faults;

import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.InetAddresses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running receiver's files are private (0600 files, 0700 folders), and a foreign sender that
 * connects to it mid-stream (garbage on its socket, or a second sender on its ring) is refused and never
 * mixed into the stream: the verifying receiver keeps going without a single bad frame.
 */
@Tag("faults")
class SecurityFaultTest {
    static final String SECTION = "5. Security";
    private static final Pattern IP_PORT = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)");

    @AfterAll
    static void writeMatrix() {
        FaultMatrix.write();
    }

    /**
     * Checks a running scenario: its files are private, and a stranger's connection is refused and never
     * mixed into the verified stream. Called by {@link PeerDeathFaultTest} on each stream before it kills
     * a peer, so the check costs no JVM starts of its own.
     */
    static void checkRunningReceiver(RigRun run) throws Exception {
        Transport transport = run.transport;
        String observed = "";
        boolean passed = false;
        try {
            String modes = modes(run.privateDir);
            String endpoint = endpointOf(run.senderPid);
            assertNotNull(endpoint, "no --connect in the sender's command line");
            String foreign = connectForeign(transport, endpoint, run.privateDir);
            boolean listener = foreign.contains("garbage written");
            if (transport.fanIn()) {
                // A many-producer ring admits every sender by design; the 0600 file in a 0700 folder is its boundary.
                foreign = foreign.replace("was NOT refused", "was admitted, as a fan-in ring must (the file mode is the boundary)");
            }
            Thread.sleep(400);
            String stderr = run.stderr();
            if (listener) {
                String counted = RigRun.lineWith(stderr, "refused a foreign connection");
                foreign += "; " + (counted == null ? "NOT counted" : "counted: " + counted.replaceAll(":\\d+", ":PORT"));
            }
            observed = "files: " + (modes.isEmpty() ? "none (sockets over IP)" : modes) + "; foreign sender: " + foreign
                    + "; the verifying receiver " + (RigRun.running(run.rigPid()) ? "kept streaming" : "FAILED: " + RigRun.lineWith(stderr, "framebench"));
            assertTrue(RigRun.running(run.rigPid()), observed);
            assertTrue(!stderr.contains("frame verification failed"), stderr);
            assertTrue(modes.isEmpty() || !modes.contains("BAD"), observed);
            assertTrue(!foreign.contains("NOT refused") && !foreign.contains("NOT counted") && !foreign.contains("unseen"), observed);
            passed = true;
        } finally {
            FaultMatrix.record(SECTION, "foreign sender + file modes", transport.name(), passed, -1,
                    observed.replace(run.privateDir.toString(), "DIR"));
        }
    }

    /** Listening beyond loopback is allowed when asked for, and warned about; the default never does. */
    @Test
    void listeningBeyondLoopbackIsWarnedAbout() {
        String warning = InetAddresses.listenWarning("listen", new InetSocketAddress("0.0.0.0", 7000));
        assertNotNull(warning);
        assertTrue(warning.startsWith("framebench: warning: listen=0.0.0.0:7000 is not a loopback address"), warning);
        assertNull(InetAddresses.listenWarning("listen", InetAddresses.parse("endpoint", "127.0.0.1:0")));
        assertNull(InetAddresses.listenWarning("endpoint", new InetSocketAddress("0.0.0.0", 7000)), "only listeners are warned about");
        FaultMatrix.record(SECTION, "listen beyond loopback", "tcp, tcp-netty, ws-*, file-handoff, s3-handoff", true, -1,
                "default listen=127.0.0.1:0; " + warning);
    }

    /** Every file and folder under {@code dir} with its mode; BAD marks any not 0600 (file) / 0700 (folder). */
    static String modes(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> top = Files.list(dir)) {
            for (Path p : top.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                boolean ok = Files.isDirectory(p) ? mode.equals("rwx------") : mode.equals("rw-------");
                String inner = "";
                if (Files.isDirectory(p)) {
                    try (Stream<Path> in = Files.list(p)) {
                        inner = in.map(q -> {
                            try {
                                String m = PosixFilePermissions.toString(Files.getPosixFilePermissions(q));
                                return q.getFileName() + " " + m;
                            } catch (IOException e) {
                                return q.getFileName() + " ?";
                            }
                        }).sorted().reduce((a, b) -> a + ", " + b).map(s -> " [" + s + "]").orElse("");
                    }
                }
                out.add(p.getFileName().toString().replaceAll("-\\d+-", "-PID-") + " " + mode + (ok ? "" : " BAD") + inner);
            }
        }
        return String.join("; ", out);
    }

    private static String endpointOf(long senderPid) {
        // /proc itself, not ProcessHandle.Info: the JDK leaves arguments() empty when the command line (a
        // long class path here) outgrows the buffer it reads /proc/PID/cmdline into.
        String[] args;
        try {
            args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(senderPid), "cmdline")), StandardCharsets.UTF_8).split("\0");
        } catch (IOException e) {
            return null;
        }
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--connect")) {
                return args[i + 1];
            }
        }
        return null;
    }

    /** Writes {@code garbage} on a stranger's connection and says whether the receiver closed it within 2 s. */
    private static String closedOrNot(SocketChannel s, ByteBuffer garbage) throws IOException {
        s.configureBlocking(false);
        try {
            s.write(garbage);
        } catch (IOException closedAlready) {
            return "closed by the receiver";
        }
        long until = System.nanoTime() + 2_000_000_000L;
        ByteBuffer reply = ByteBuffer.allocate(4096);
        while (System.nanoTime() < until) {
            reply.clear();
            try {
                if (s.read(reply) < 0) {
                    return "closed by the receiver";
                }
            } catch (IOException reset) {
                return "closed by the receiver";
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return "left open: NOT refused";
    }

    /** Connects as a stranger and says what happened. */
    private static String connectForeign(Transport transport, String endpoint, Path dir) {
        Matcher ip = IP_PORT.matcher(endpoint);
        ByteBuffer garbage = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < garbage.capacity(); i++) {
            garbage.put(i, (byte) ('F' + i % 7));
        }
        if (ip.find()) {
            try (SocketChannel s = SocketChannel.open(new InetSocketAddress(ip.group(1), Integer.parseInt(ip.group(2))))) {
                return "TCP connect, 64 KiB of garbage written, " + closedOrNot(s, garbage);
            } catch (IOException e) {
                return "connect refused by the kernel, unseen by the receiver: " + e.getMessage();
            }
        }
        if (endpoint.contains(".sock")) {
            Path socket = Path.of(endpoint.replaceFirst("^unix:", ""));
            try (SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                s.connect(UnixDomainSocketAddress.of(socket));
                return "connected to the socket file (root bypasses its 0600 mode), 64 KiB of garbage written, " + closedOrNot(s, garbage);
            } catch (IOException e) {
                return "connect refused, unseen by the receiver: " + e.getMessage();
            }
        }
        String options = RigRun.privateOptions(transport, dir);
        try (FrameSender second = transport.openSender(endpoint, TransportOptions.parse(options))) {
            if (transport.name().equals("aeron-ipc")) {
                // Aeron lets any publication connect and gives a subscriber no way to cut one off: the
                // receiver takes only the one whose first message is the run's hello and never reads the others.
                return "a second publication was connected by Aeron and is never read (the receiver took the hello's)";
            }
            return "a second sender was NOT refused: " + second;
        } catch (TransportException | BadInputException e) {
            // Without the run's token a ring refuses a sender outright (BadInputException), or has one already.
            return "second sender refused: " + e.getMessage().replace(dir.toString(), "DIR");
        }
    }
}
