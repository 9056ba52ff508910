package dev.framebench.harness.peer;

/**
 * The line protocol between the receiver JVM and its sender peer, over the peer's stdin (commands) and
 * stdout (replies); the peer's stderr carries only human-readable diagnostics.
 *
 * <pre>
 *   peer     -&gt; receiver   READY pid=&lt;pid&gt;         sender opened and connected; waiting for START
 *   receiver -&gt; peer       START                    begin sending
 *   receiver -&gt; peer       STOP                     finish the frame in hand, end the stream cleanly
 *   peer     -&gt; receiver   STATS {json}             frames and bytes sent, CPU ns, peak RSS bytes
 *   peer     -&gt; receiver   BYE                      about to exit 0
 *   peer     -&gt; receiver   ERROR &lt;one line&gt;         failed; exits non-zero
 *   receiver -&gt; peer       PROFILE &lt;command&gt;        flame graphs (--flames): see SenderFlames
 *   peer     -&gt; receiver   PROFILED &lt;one line&gt;      its reply; a failed profile is a reply, not an ERROR
 * </pre>
 *
 * End of file on the peer's stdin means the receiver is gone: the peer exits at once, so no sender
 * outlives its receiver.
 */
public final class ControlProtocol {
    public static final String READY = "READY";
    public static final String START = "START";
    public static final String STOP = "STOP";
    public static final String STATS = "STATS";
    public static final String BYE = "BYE";
    public static final String ERROR = "ERROR";
    public static final String PROFILE = "PROFILE";
    public static final String PROFILED = "PROFILED";

    private ControlProtocol() {
    }
}
