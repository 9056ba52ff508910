package dev.framebench.harness.browser;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.harness.accounting.ProcessTree;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.transport.Deadline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One headless Chromium, its private 0700 directory (profile and the sender page) and the watch that
 * removes both: {@code sh -c} starts the browser in a session of its own with the DevTools pipe on fds 3
 * and 4 (the watch's stdin and stdout, pipes to this JVM), waits for it, kills what is left of its process
 * group and deletes the directory. When this JVM dies, even by SIGKILL, the pipe's writer is gone, the
 * browser closes itself (and its zygotes, renderers and utilities with it) and the watch cleans up: no
 * browser and no profile outlives its run, whatever happens to the harness.
 *
 * <p>Threading: {@link #close} once; the reads from any thread.
 */
public final class ChromiumProcess implements AutoCloseable {
    /**
     * Headless, no sandbox (the harness may run as root), no GPU, and nothing that talks to the network on
     * its own: this machine, and a benchmark host generally, must see no packet leave it because of the
     * sender. The resolver maps every host name to nothing; the page connects to an IP literal.
     */
    static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--disable-domain-reliability", "--disable-breakpad", "--no-pings",
            "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--mute-audio",
            // A page nobody looks at is still the sender: its timers and its renderer must not be throttled.
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            "--remote-debugging-pipe");
    /** The watch: $1 the private directory, the rest the browser's command line. */
    static final String WATCH = """
            dir=$1; shift
            exec 3<&0 4>&1 0</dev/null 1>/dev/null
            setsid "$@" &
            browser=$!
            exec 3<&- 4>&-
            trap '' INT HUP TERM
            wait "$browser"
            status=$?
            kill -9 -"$browser" 2>/dev/null
            rm -rf -- "$dir"
            exit "$status"
            """;
    /** Chromium closes within ~0.2 s of its pipe's end (measured: 0.14 s); this is the wait before it is killed. */
    static final long EXIT_ON_PIPE_END_MILLIS = 3_000;
    static final String[] PAGE_FILES = {"sender.html", "sender.js"};
    private static final int TAIL_LINES = 12;

    private final Process watch;
    private final Path dir;
    private final ProcessHandle browser;
    private final ProcessTree tree;
    private final DevToolsPipe devTools;
    private final Deque<String> tail = new ArrayDeque<>();

    private ChromiumProcess(Process watch, Path dir, ProcessHandle browser) {
        this.watch = watch;
        this.dir = dir;
        this.browser = browser;
        this.tree = new ProcessTree(browser, ChromiumProcessKinds::kindOf);
        this.devTools = new DevToolsPipe(watch.getOutputStream(), watch.getInputStream(), "chromium pid " + browser.pid());
        Thread stderr = new Thread(() -> keepTail(watch.getErrorStream()), "framebench-chromium-" + browser.pid() + "-stderr");
        stderr.setDaemon(true);
        stderr.start();
    }

    /** Starts {@code binary} on the sender page in a new private directory; returns once the browser's pid is known. */
    public static ChromiumProcess launch(Path binary, long deadlineNanos) {
        Path dir;
        try {
            dir = Files.createTempDirectory("framebench-chromium-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new TransportException("cannot create the browser's private directory in " + System.getProperty("java.io.tmpdir") + ": "
                    + e.getMessage(), e);
        }
        Process watch = null;
        try {
            Path page = extractPage(dir.resolve("page"));
            List<String> command = new ArrayList<>(List.of("sh", "-c", WATCH, "framebench-chromium-watch", dir.toString(), binary.toString()));
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + dir.resolve("profile"));
            command.add(page.toUri().toString());
            ProcessBuilder builder = new ProcessBuilder(command);
            // Chromium also writes outside its profile: crash reports under ~/.config, dconf under ~/.cache, shared
            // memory files in $TMPDIR, none removed after a SIGKILL. Each points into the private directory instead.
            Map<String, String> environment = builder.environment();
            for (String[] place : new String[][] {{"HOME", "home"}, {"XDG_CONFIG_HOME", "home/.config"}, {"XDG_CACHE_HOME", "home/.cache"},
                    {"TMPDIR", "tmp"}}) {
                environment.put(place[0], Files.createDirectories(dir.resolve(place[1])).toString());
            }
            watch = builder.start();
            return new ChromiumProcess(watch, dir, browserOf(watch, binary, deadlineNanos));
        } catch (IOException | RuntimeException e) {
            if (watch != null) {
                watch.descendants().forEach(ProcessHandle::destroyForcibly);
                watch.destroyForcibly();
            }
            deleteTree(dir);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new TransportException("cannot start chromium (" + binary + "): " + e.getMessage(), e);
        }
    }

    /** The watch's one child: setsid execs the browser in place, so its pid is the browser's from the start. */
    private static ProcessHandle browserOf(Process watch, Path binary, long deadlineNanos) {
        while (true) {
            Optional<ProcessHandle> child = watch.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            if (!watch.isAlive()) {
                throw new TransportException("chromium (" + binary + ") did not start: its watch " + ExitStatus.describe(watch.exitValue()));
            }
            if (Deadline.expired(deadlineNanos)) {
                throw new TransportTimeoutException("chromium (" + binary + ") did not start in time");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted starting chromium");
            }
        }
    }

    private static Path extractPage(Path pageDir) throws IOException {
        Files.createDirectories(pageDir);
        for (String name : PAGE_FILES) {
            try (InputStream in = ChromiumProcess.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + name + " of " + ChromiumProcess.class.getPackageName() + " is missing from the class path");
                }
                Files.copy(in, pageDir.resolve(name));
            }
        }
        return pageDir.resolve(PAGE_FILES[0]);
    }

    public DevToolsPipe devTools() {
        return devTools;
    }

    public long pid() {
        return browser.pid();
    }

    /** The browser and every process below it. */
    public ProcessTree tree() {
        return tree;
    }

    /** The private directory (profile, page): gone once {@link #close} returns. */
    public Path privateDir() {
        return dir;
    }

    public URI pageUri() {
        return dir.resolve("page").resolve(PAGE_FILES[0]).toUri();
    }

    public boolean isAlive() {
        return browser.isAlive();
    }

    /** How the browser ended ("exited with status 1", "was killed by signal 9 (SIGKILL)"), waiting up to {@code waitMillis}; empty while it runs. */
    public Optional<String> exitedAs(long waitMillis) {
        // The watch exits with the browser's status once it has cleaned up after it.
        return ExitStatus.of(watch, waitMillis);
    }

    /** The browser's last log lines on stderr, for a message about its death; empty when it said nothing. */
    public String lastWords() {
        synchronized (tail) {
            return String.join(" | ", tail);
        }
    }

    /**
     * Ends the browser: closes its DevTools pipe (it then closes itself) and waits up to
     * max({@code graceMillis}, {@link #EXIT_ON_PIPE_END_MILLIS}) for the watch to clean up; then kills every
     * process of the tree. The private directory is gone when this returns.
     */
    public void close(long graceMillis) {
        List<ProcessHandle> processes = tree.processes();
        devTools.close();
        try {
            if (!watch.waitFor(Math.max(graceMillis, EXIT_ON_PIPE_END_MILLIS), TimeUnit.MILLISECONDS)) {
                processes.forEach(ProcessHandle::destroyForcibly);
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                if (!watch.waitFor(2, TimeUnit.SECONDS)) {
                    watch.destroyForcibly();
                    watch.waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            processes.forEach(ProcessHandle::destroyForcibly);
            watch.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            // Whatever the watch managed, nothing of the tree outlives this call.
            processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            deleteTree(dir);
        }
    }

    @Override
    public void close() {
        close(0);
    }

    private void keepTail(InputStream stderr) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("[") || line.contains("dbus/")) {
                    // Only Chromium's own log lines say why it died; a headless box has no session bus, which it says at every start.
                    continue;
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // The browser and its watch are gone: nothing more to keep.
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (NoSuchFileException ignored) {
            // The watch removed it first.
        } catch (IOException | UncheckedIOException e) {
            // A renderer killed mid-write may leave a file behind for an instant: try once more, then say so.
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException again) {
                // Gone meanwhile.
            }
            if (Files.exists(dir)) {
                System.err.println("framebench: cannot remove the browser's directory " + dir + ": " + e.getMessage());
            }
        }
    }
}
