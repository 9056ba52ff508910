package dev.framebench.harness.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.util.Json;
import dev.framebench.transport.Deadline;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sender page ({@code sender.html}, {@code sender.js}) as the harness drives it: every call is a
 * {@code Runtime.evaluate} of one {@code window.framebench} function over the DevTools pipe, awaiting its
 * promise where it has one. The token reaches the page only this way, never in a URL or on a command line.
 *
 * <p>Threading: any thread; the pipe orders nothing, so callers keep the order prepare, connect, start, stop.
 */
public final class SenderPage {
    private static final String PAGE_LOADED = "document.readyState === 'complete' && typeof window.framebench === 'object'";

    private final DevToolsPipe devTools;
    private final String sessionId;
    private final String browserVersion;
    private final long pictureZeroCrc;
    private final long highWaterBytes;
    private PageClock clock;

    private SenderPage(DevToolsPipe devTools, String sessionId, String browserVersion, long pictureZeroCrc, long highWaterBytes) {
        this.devTools = devTools;
        this.sessionId = sessionId;
        this.browserVersion = browserVersion;
        this.pictureZeroCrc = pictureZeroCrc;
        this.highWaterBytes = highWaterBytes;
    }

    /** Attaches to the page {@code browser} opened, renders {@code preset}'s pictures there and calibrates its clock. */
    public static SenderPage open(ChromiumProcess browser, FramePreset preset, long deadlineNanos) {
        DevToolsPipe devTools = browser.devTools();
        String product = devTools.call(null, "Browser.getVersion", null, deadlineNanos).path("product").asText();
        String targetId = awaitPageTarget(devTools, deadlineNanos);
        String sessionId = devTools.call(null, "Target.attachToTarget", Json.object().put("targetId", targetId).put("flatten", true), deadlineNanos)
                .path("sessionId").asText();
        while (!evaluate(devTools, sessionId, PAGE_LOADED, false, deadlineNanos).asBoolean()) {
            pause(10, deadlineNanos, "the sender page to load");
        }
        JsonNode prepared = evaluate(devTools, sessionId, "framebench.prepare(" + Json.line(Json.object()
                .put("format", preset.pixelFormat().wireCode()).put("width", preset.width()).put("height", preset.height())) + ")", false, deadlineNanos);
        SenderPage page = new SenderPage(devTools, sessionId, product.substring(product.indexOf('/') + 1), prepared.path("crc0").asLong(),
                prepared.path("highWaterBytes").asLong());
        long stepNanos = Math.round(prepared.path("clockResolutionMillis").asDouble() * 1e6);
        page.clock = PageClock.calibrate(() -> page.evaluate("performance.now()", false, deadlineNanos).asDouble(), stepNanos);
        page.evaluate("framebench.setClock('" + page.clock.offsetNanos() + "')", false, deadlineNanos);
        return page;
    }

    private static String awaitPageTarget(DevToolsPipe devTools, long deadlineNanos) {
        while (true) {
            for (JsonNode target : devTools.call(null, "Target.getTargets", null, deadlineNanos).path("targetInfos")) {
                if (target.path("type").asText().equals("page") && target.path("url").asText().endsWith("/page/" + ChromiumProcess.PAGE_FILES[0])) {
                    return target.path("targetId").asText();
                }
            }
            pause(10, deadlineNanos, "the browser to open the sender page");
        }
    }

    /** Opens stream i's WebSocket to {@code urls[i]} and sends its hello (when {@code tokenHex} is not null); returns once all are sent. */
    public void connect(List<String> urls, String tokenHex, long deadlineNanos) {
        evaluate("framebench.connect(" + Json.line(urls) + ", " + Json.line(tokenHex) + ", " + Math.max(1, Deadline.remainingMillis(deadlineNanos)) + ")",
                true, deadlineNanos);
    }

    /** Begins every stream: as fast as the sockets take frames ({@code schedule} null) or on the schedule. */
    public void start(PacedSchedule schedule, long deadlineNanos) {
        evaluate("framebench.start(" + (schedule == null ? "null" : "{intervalNanos: " + schedule.intervalNanos() + "}") + ")", false, deadlineNanos);
    }

    /** Asks every stream to end cleanly (close 1000 after its queue drained); the future holds the page's stats. */
    public CompletableFuture<JsonNode> stop(long timeoutMillis) {
        return devTools.send(sessionId, "Runtime.evaluate", evaluation("framebench.stop(" + timeoutMillis + ")", true));
    }

    /** The stats {@code {frames, bytes, framesBehind}} of a {@link #stop}, waiting until the deadline. */
    public JsonNode awaitStopped(CompletableFuture<JsonNode> stopping, long deadlineNanos) {
        return valueOf(devTools.await(stopping, "framebench.stop()", deadlineNanos), "framebench.stop()");
    }

    /** What broke a stream ("stream 0: the receiver closed ... with code 1006 ..."), or empty while all are whole. */
    public String failure(long deadlineNanos) {
        return evaluate("framebench.failure()", false, deadlineNanos).asText();
    }

    public PageClock clock() {
        return clock;
    }

    /** "156.0.8078.129": Chromium's version, as its DevTools reports it. */
    public String browserVersion() {
        return browserVersion;
    }

    /** CRC-32C of picture 0 as the page rendered it (1080p-i420: 0xf1ec1de7, as TestPattern's). */
    public long pictureZeroCrc() {
        return pictureZeroCrc;
    }

    /** Bytes a stream's socket may hold queued before the page waits (back-pressure). */
    public long highWaterBytes() {
        return highWaterBytes;
    }

    private JsonNode evaluate(String expression, boolean awaitPromise, long deadlineNanos) {
        return evaluate(devTools, sessionId, expression, awaitPromise, deadlineNanos);
    }

    private static JsonNode evaluate(DevToolsPipe devTools, String sessionId, String expression, boolean awaitPromise, long deadlineNanos) {
        String what = expression.substring(0, Math.max(0, expression.indexOf('('))) + "()";
        return valueOf(devTools.await(devTools.send(sessionId, "Runtime.evaluate", evaluation(expression, awaitPromise)), what, deadlineNanos), what);
    }

    private static ObjectNode evaluation(String expression, boolean awaitPromise) {
        return Json.object().put("expression", expression).put("awaitPromise", awaitPromise).put("returnByValue", true);
    }

    /** The value an evaluation returned; a page exception becomes one line, the page's own message. */
    private static JsonNode valueOf(JsonNode result, String what) {
        JsonNode exception = result.get("exceptionDetails");
        if (exception != null) {
            String description = exception.path("exception").path("description").asText(exception.path("exception").path("value").asText(""));
            if (description.isEmpty()) {
                description = exception.path("text").asText("an exception");
            }
            String line = description.lines().findFirst().orElse(description).replaceFirst("^Error: ", "");
            throw new TransportException("the chromium sender page failed in " + what + ": " + line);
        }
        return result.path("result").path("value");
    }

    private static void pause(long millis, long deadlineNanos, String awaiting) {
        if (Deadline.expired(deadlineNanos)) {
            throw new TransportTimeoutException("timed out waiting for " + awaiting);
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted waiting for " + awaiting);
        }
    }
}
