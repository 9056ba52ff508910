package dev.framebench.harness.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framebench.error.TransportException;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.browser.BrowserFlames;
import dev.framebench.harness.browser.ChromiumBinary;
import dev.framebench.harness.browser.ChromiumProcess;
import dev.framebench.harness.browser.SenderPage;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.peer.SenderStats;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The seed's sender: one headless Chromium ({@link ChromiumProcess}) whose page ({@link SenderPage}) sends
 * stream i to {@code endpoints[i]} over the browser's own WebSocket, driven with the semantics of a sender
 * JVM's control protocol: READY is the page's connect resolving, START and STOP are calls into the page,
 * STATS is what its stop resolves to, and the browser's process tree is what the trial is charged.
 */
final class ChromiumSenders implements SenderSide {
    private final ChromiumProcess browser;
    private final SenderPage page;
    private final List<String> urls;
    private final RunToken token;
    private final PacedSchedule schedule;
    private final Duration timeout;
    private volatile CompletableFuture<JsonNode> stopping;
    private final BrowserFlames flames;

    private ChromiumSenders(ChromiumProcess browser, SenderPage page, List<String> urls, RunToken token, PacedSchedule schedule, Duration timeout) {
        this.browser = browser;
        this.page = page;
        this.urls = urls;
        this.token = token;
        this.schedule = schedule;
        this.timeout = timeout;
        this.flames = new BrowserFlames(browser);
    }

    /**
     * Starts one headless Chromium whose page sends stream i to {@code endpoints[i]} over the browser's own
     * WebSocket, presenting {@code token}'s hello; {@code schedule} null means as fast as the socket takes them.
     * Returns once the page has rendered its pictures and its clock is calibrated; {@link #awaitReady} connects.
     */
    static ChromiumSenders launch(Transport transport, List<String> endpoints, FramePreset preset, TransportOptions options, RunToken token,
                                  PacedSchedule schedule, Duration timeout) {
        if (options.has(RunToken.KEY)) {
            throw new IllegalArgumentException("the run's token goes to the page over the DevTools pipe, not in the sender's options");
        }
        SenderKind.CHROMIUM.requireSupports(transport, options);
        long deadline = Deadline.after(timeout);
        ChromiumProcess browser = ChromiumProcess.launch(ChromiumBinary.find(), deadline);
        try {
            SenderPage page = SenderPage.open(browser, preset, deadline);
            List<String> urls = endpoints.stream().map(endpoint -> "ws://" + endpoint + "/frames").toList();
            return new ChromiumSenders(browser, page, urls, token, schedule, timeout);
        } catch (RuntimeException e) {
            boolean died = !browser.isAlive();
            browser.close(0);
            throw died ? new TransportException(e.getMessage() + "; chromium pid " + browser.pid() + " " + browser.exitedAs(0).orElse("died")
                    + tellLastWords(browser), e) : e;
        }
    }

    /** As {@link PeerSenders#awaitReady}: every stream's socket open and its hello sent, while {@code accept} takes them. */
    void awaitReady(Runnable accept, long deadlineNanos) {
        ReadyWait.overlap(accept, () -> page.connect(urls, token.hex(), deadlineNanos), deadlineNanos);
    }

    /** The browser, for tests that check what it leaves behind. */
    ChromiumProcess browser() {
        return browser;
    }

    /** The page, for tests that check what it rendered. */
    SenderPage page() {
        return page;
    }

    @Override
    public void start() {
        page.start(schedule, Deadline.after(timeout));
    }

    @Override
    public void stop() {
        if (browser.isAlive() && stopping == null) {
            stopping = page.stop(timeout.toMillis());
        }
    }

    @Override
    public SenderStats awaitStats(long deadlineNanos) {
        if (stopping == null) {
            throw new TransportException(who() + " was not asked to stop: it " + browser.exitedAs(0).orElse("is still running"));
        }
        JsonNode stats = page.awaitStopped(stopping, deadlineNanos);
        return new SenderStats(stats.path("frames").asLong(), stats.path("bytes").asLong(), stats.path("framesBehind").asLong(),
                browser.tree().cpuNanos(), browser.tree().peakRssBytes());
    }

    @Override
    public long cpuNanos() {
        return browser.tree().cpuNanos();
    }

    @Override
    public long peakRssBytes() {
        return browser.tree().peakRssBytes();
    }

    @Override
    public Map<String, Long> cpuNanosByProcessKind() {
        return browser.tree().cpuNanosByKind();
    }

    @Override
    public boolean inReceiverJvm() {
        return false;
    }

    @Override
    public int processes() {
        return 1;
    }

    @Override
    public boolean alive() {
        return browser.isAlive();
    }

    /** How the browser died; or, while it runs, what broke its page's streams (a receiver that closed one); empty while all send. */
    @Override
    public String fate(long waitMillis) {
        var exited = browser.exitedAs(waitMillis);
        if (exited.isPresent()) {
            return who() + " " + exited.get() + tellLastWords(browser) + ": ";
        }
        try {
            String failure = page.failure(Deadline.after(Duration.ofMillis(Math.max(200, waitMillis))));
            return failure.isEmpty() ? "" : who() + ": " + failure + ": ";
        } catch (TransportException e) {
            return "";
        }
    }

    /**
     * Flame graphs of a browser come from perf, not async-profiler ({@link BrowserFlames}); where perf cannot
     * sample, PREPARE answers "unavailable" and the flame-graph window records the sender side as missing
     * while the run goes on.
     */
    @Override
    public String profile(String command, long deadlineNanos) {
        return flames.handle(command);
    }

    @Override
    public String describe() {
        return "chromium " + page.browserVersion() + " pid " + browser.pid() + ", " + browser.tree().processes().size() + " processes, "
                + page.clock().describe();
    }

    @Override
    public String who() {
        return "sender chromium pid " + browser.pid();
    }

    @Override
    public void close(long graceMillis) {
        CompletableFuture<JsonNode> inFlight = stopping;
        if (inFlight != null && graceMillis > 0) {
            try {
                page.awaitStopped(inFlight, Deadline.after(Duration.ofMillis(graceMillis)));
            } catch (RuntimeException e) {
                // Closing anyway: the stream's failure is the caller's to report.
            }
        }
        flames.close();
        browser.close(graceMillis);
    }

    private static String tellLastWords(ChromiumProcess browser) {
        String words = browser.lastWords();
        return words.isEmpty() ? "" : " (chromium's last words: " + words + ")";
    }
}
