package dev.framebench.harness.profiler;

import java.nio.file.Path;

/**
 * The sender peer's end of flame-graph recording: answers the receiver's {@code PROFILE} commands on the
 * control channel (see {@code ControlProtocol}) with one {@code PROFILED} reply each. Failures are
 * replies too, never exceptions: a profile that cannot be made must not stop the stream.
 *
 * <pre>
 *   PROFILE PREPARE &lt;event&gt; &lt;auto|off&gt;   load async-profiler, pick the event    -&gt; ready &lt;used&gt; &lt;reason&gt; | unavailable &lt;why&gt;
 *   PROFILE RESUME                           start, or go on after PAUSE             -&gt; running | failed &lt;why&gt;
 *   PROFILE PAUSE                            between measurement iterations          -&gt; paused
 *   PROFILE FINISH &lt;path prefix&gt;            stop, write PREFIX.html and .collapsed  -&gt; written &lt;samples&gt; | failed &lt;why&gt;
 * </pre>
 *
 * <p>Threading: the peer's control thread only.
 */
public final class SenderFlames {
    public static final String PREPARE = "PREPARE";
    public static final String RESUME = "RESUME";
    public static final String PAUSE = "PAUSE";
    public static final String FINISH = "FINISH";
    public static final String READY = "ready";
    public static final String UNAVAILABLE = "unavailable";
    public static final String FAILED = "failed";

    private FlameRecorder recorder;

    /** The reply (after the PROFILED keyword) to one command (after the PROFILE keyword). */
    public String handle(String command) {
        String[] words = command.trim().split(" ", 2);
        String rest = words.length > 1 ? words[1].trim() : "";
        try {
            return switch (words[0]) {
                case PREPARE -> prepare(rest);
                case RESUME -> {
                    requirePrepared().resume();
                    yield "running";
                }
                case PAUSE -> {
                    requirePrepared().pause();
                    yield "paused";
                }
                case FINISH -> {
                    FlameRecorder r = requirePrepared();
                    Path prefix = Path.of(rest);
                    yield "written " + r.finish(prefix, prefix.getFileName() + " (" + r.event().used() + ")");
                }
                default -> FAILED + " unknown PROFILE command '" + words[0] + "'; valid: PREPARE, RESUME, PAUSE, FINISH";
            };
        } catch (FlamesUnavailableException e) {
            return (words[0].equals(PREPARE) ? UNAVAILABLE : FAILED) + " " + e.getMessage().replace('\n', ' ');
        }
    }

    private String prepare(String arguments) {
        String[] a = arguments.split(" ");
        recorder = FlameRecorder.prepare(a[0], a.length > 1 && a[1].equals("off"));
        return READY + " " + recorder.event().used() + " " + recorder.event().reason();
    }

    private FlameRecorder requirePrepared() {
        if (recorder == null) {
            throw new FlamesUnavailableException("no PROFILE PREPARE before this command");
        }
        return recorder;
    }
}
