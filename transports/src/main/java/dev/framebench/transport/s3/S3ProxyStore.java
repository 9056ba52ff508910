package dev.framebench.transport.s3;

import dev.framebench.error.TransportException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.shm.ShmFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The default object store of s3-handoff: S3Proxy in a JVM of its own, started by the receiver for one
 * run, on a free loopback port, with credentials of the run. Its objects live in its heap
 * ({@code s3.storage=memory}, jclouds' transient store) or as files in its private folder
 * ({@code s3.storage=files}). The store is a third process: the harness measures its CPU and memory apart
 * from both ends ({@link S3HandoffReceiver#storageProcesses()}).
 *
 * <p>Nothing outlives the receiver: the private folder (0700: configuration, class file, log, files) is
 * deleted on close and swept by the next run when its owner died; the store's JVM ends when the receiver
 * closes its standard input or dies ({@link StoreWatch}).
 */
final class S3ProxyStore implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final String HEAP = "-Xmx1g";

    private final Process process;
    private final OutputStream lifeline;
    private final Path folder;
    private final URI endpoint;
    private final String storage;
    private final long startMillis;

    private S3ProxyStore(Process process, Path folder, URI endpoint, String storage, long startMillis) {
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.folder = folder;
        this.endpoint = endpoint;
        this.storage = storage;
        this.startMillis = startMillis;
    }

    /**
     * Starts the store and waits until it answers on its port, or fails with one line (and the last line of
     * its log) once {@link #START_TIMEOUT} has passed or its JVM has exited.
     *
     * @param storage {@code memory} or {@code files}
     */
    static S3ProxyStore start(Path jar, Path parent, String storage, String identity, String secret) {
        long started = System.nanoTime();
        ShmFiles.sweepStale(parent);
        Path folder = ShmFiles.createDirectory(parent, "s3");
        Process process = null;
        try {
            int port = freeLoopbackPort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path properties = writeProperties(folder, endpoint, storage, identity, secret);
            Path classes = copyStoreWatch(folder);
            Path log = folder.resolve("store.log");
            List<String> command = new ArrayList<>(List.of(javaCommand(), HEAP, "-XX:+UseSerialGC",
                    "-cp", jar + java.io.File.pathSeparator + classes, StoreWatch.class.getName(),
                    "--properties", properties.toString()));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            awaitListening(process, port, log, Deadline.after(START_TIMEOUT));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            return new S3ProxyStore(process, folder, endpoint, storage, millis);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            ShmFiles.delete(folder);
            if (e instanceof TransportException transportException) {
                throw transportException;
            }
            throw new TransportException("cannot start s3-handoff's store (S3Proxy " + S3ProxyJar.VERSION + " from " + jar + "): " + e.getMessage(), e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    ProcessHandle process() {
        return process.toHandle();
    }

    /** From the receiver's decision to start it to the store answering on its port. */
    long startMillis() {
        return startMillis;
    }

    /** What the results record of the store, e.g. {@code S3Proxy 2.6.0, memory, pid 4242}. */
    String describe() {
        return "S3Proxy " + S3ProxyJar.VERSION + " (" + storage + ") in its own JVM, pid " + process.pid() + ", " + endpoint;
    }

    /** True while the store's JVM runs. */
    boolean alive() {
        return process.isAlive();
    }

    /**
     * True when the store's JVM has exited or exits within {@code millis}: a receiver whose request just failed
     * asks so, since a killed store's sockets close a moment before its exit is reaped.
     */
    boolean exitedWithin(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Ends the store's JVM (its lifeline first, then a signal) and deletes its folder; again does nothing. */
    @Override
    public void close() {
        try {
            lifeline.close();
        } catch (IOException e) {
            // Already closed or broken: either way the watch sees the end.
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        ShmFiles.delete(folder);
    }

    private static Path writeProperties(Path folder, URI endpoint, String storage, String identity, String secret) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("s3proxy.endpoint=").append(endpoint).append('\n')
                .append("s3proxy.authorization=aws-v2-or-v4\n")
                .append("s3proxy.identity=").append(identity).append('\n')
                .append("s3proxy.credential=").append(secret).append('\n')
                .append("jclouds.identity=").append(identity).append('\n')
                .append("jclouds.credential=").append(secret).append('\n');
        if (storage.equals(S3HandoffTransport.STORAGE_FILES)) {
            Path data = Files.createDirectory(folder.resolve("data"));
            text.append("jclouds.provider=filesystem\n").append("jclouds.filesystem.basedir=").append(data).append('\n');
        } else {
            text.append("jclouds.provider=transient\n");
        }
        Path file = folder.resolve("s3proxy.conf");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** StoreWatch's class file, copied out of framebench's jar into a class folder of its own. */
    private static Path copyStoreWatch(Path folder) throws IOException {
        String resource = StoreWatch.class.getName().replace('.', '/') + ".class";
        Path target = folder.resolve("classes").resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = StoreWatch.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from framebench's class path");
            }
            Files.copy(in, target);
        }
        return folder.resolve("classes");
    }

    /** The java of this JVM: the store runs on the JDK the run was started with. */
    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(Process process, int port, Path log, long deadlineNanos) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (true) {
            if (!process.isAlive()) {
                throw new TransportException("s3-handoff's store (S3Proxy " + S3ProxyJar.VERSION + ") exited with status "
                        + process.exitValue() + " before answering on port " + port + ": " + lastLine(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(address, 200);
                return;
            } catch (IOException e) {
                // Not listening yet.
            }
            if (Deadline.expired(deadlineNanos)) {
                throw new TransportException("s3-handoff's store (S3Proxy " + S3ProxyJar.VERSION + ") did not answer on port "
                        + port + " within " + START_TIMEOUT.toSeconds() + " s: " + lastLine(log));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted while s3-handoff's store was starting");
            }
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "its log is empty";
        } catch (IOException e) {
            return "no log (" + e.getMessage() + ")";
        }
    }
}
