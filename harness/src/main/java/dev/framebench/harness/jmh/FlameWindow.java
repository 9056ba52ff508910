package dev.framebench.harness.jmh;

import dev.framebench.harness.profiler.CollapsedStacks;
import dev.framebench.harness.profiler.FlameEvent;
import dev.framebench.harness.profiler.FlameRecorder;
import dev.framebench.harness.profiler.FlameSettings;
import dev.framebench.harness.profiler.FlamesUnavailableException;
import dev.framebench.harness.profiler.HottestFrames;
import dev.framebench.harness.profiler.SenderFlames;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.util.Json;
import dev.framebench.harness.session.FrameSession;
import dev.framebench.error.TransportException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The flame-graph window of one trial: both JVMs sampled over the measurement iterations only, paused
 * between them, and at the end the files of {@code flames/}: {@code <transport>_<frame>_sender.html} and
 * {@code _receiver.html}, their {@code .collapsed} stacks, and {@code _hot.json} with each side's event and
 * hottest frames. The receiver is this JVM; the sender JVM is driven over its control channel. A side that
 * cannot be profiled is noted, never fatal: the benchmark goes on.
 *
 * <p>Threading: JMH's runner thread (iteration edges) and the benchmark thread (trial set-up and
 * tear-down) both call in, never at once in practice; every method is synchronized regardless.
 */
final class FlameWindow {
    /** Suffix of the plain-text hot-frames tables beside {@code _hot.json}. */
    static final String HOT_TEXT = "_hot.txt";

    private final FlameSettings settings;
    private final FrameSession session;
    private final String base;
    private final FlameRecorder receiver;
    private final String receiverWhyNot;
    private final FlameEvent senderEvent;
    private final String senderWhyNot;
    private boolean running;
    private boolean finished;

    private FlameWindow(FlameSettings settings, FrameSession session, String base, FlameRecorder receiver, String receiverWhyNot,
                        FlameEvent senderEvent, String senderWhyNot) {
        this.settings = settings;
        this.session = session;
        this.base = base;
        this.receiver = receiver;
        this.receiverWhyNot = receiverWhyNot;
        this.senderEvent = senderEvent;
        this.senderWhyNot = senderWhyNot;
    }

    /** Loads the profiler on both sides and picks each side's event; nothing is sampled yet. */
    static FlameWindow open(FlameSettings settings, FrameSession session) {
        String base = freeBase(settings.dir(), session.transport().name() + session.endsLabel().replace("->", "-to-") + "_" + session.preset().presetName());
        FlameRecorder receiver = null;
        String receiverWhyNot = null;
        if (!session.receiverInJvm()) {
            // Sampling this JVM would profile the receipts' counter and call it the receiver.
            receiverWhyNot = "the receiver is a Python process, not this JVM: async-profiler samples JVMs, and CPython 3.11 gives perf no Python frames";
        } else {
            try {
                receiver = FlameRecorder.prepare(settings.event(), settings.perfEventsOff());
            } catch (FlamesUnavailableException e) {
                receiverWhyNot = e.getMessage();
            }
        }
        FlameEvent senderEvent = null;
        String senderWhyNot;
        if (session.singleProcess()) {
            senderWhyNot = "the sender is a thread of the receiver JVM: its frames are in the receiver's profile";
        } else {
            String reply = askSender(session, SenderFlames.PREPARE + " " + settings.event() + " " + (settings.perfEventsOff() ? "off" : "auto"));
            String[] words = reply.split(" ", 3);
            if (words[0].equals(SenderFlames.READY) && words.length == 3) {
                senderEvent = new FlameEvent(settings.event(), words[1], words[2]);
                senderWhyNot = null;
            } else {
                // "unavailable <why>": the reader wants the why.
                senderWhyNot = reply.startsWith(SenderFlames.UNAVAILABLE + " ") ? reply.substring(SenderFlames.UNAVAILABLE.length() + 1) : reply;
            }
        }
        FlameWindow window = new FlameWindow(settings, session, base, receiver, receiverWhyNot, senderEvent, senderWhyNot);
        if (receiver == null && senderEvent == null) {
            System.out.println("framebench flames: " + base + ": no flame graphs: " + receiverWhyNot);
        }
        return window;
    }

    /** The first name of {@code flames/} still free: {@code tcp_1080p-i420}, then {@code tcp_1080p-i420_fork2}... */
    private static String freeBase(Path dir, String base) {
        String candidate = base;
        for (int fork = 2; Files.exists(dir.resolve(candidate + "_hot.json")) || Files.exists(dir.resolve(candidate + "_receiver.html")); fork++) {
            candidate = base + "_fork" + fork;
        }
        return candidate;
    }

    synchronized boolean profiling() {
        return receiver != null || senderEvent != null;
    }

    /** Starts sampling, or resumes it: at the start of each measurement iteration. */
    synchronized void resume() {
        if (finished || running || !profiling()) {
            return;
        }
        running = true;
        if (receiver != null) {
            receiver.resume();
        }
        if (senderEvent != null) {
            askSender(session, SenderFlames.RESUME);
        }
    }

    /** Pauses sampling between measurement iterations, so their edges are not in the profile. */
    synchronized void pause() {
        if (!running) {
            return;
        }
        running = false;
        if (receiver != null) {
            receiver.pause();
        }
        if (senderEvent != null) {
            askSender(session, SenderFlames.PAUSE);
        }
    }

    /** Ends the window and writes both sides' files and the hot-frames JSON; once. */
    synchronized void finish() {
        if (finished || !profiling()) {
            finished = true;
            return;
        }
        finished = true;
        running = false;
        Path dir = settings.dir();
        Side receiverSide = receiver == null ? Side.missing(receiverWhyNot) : writeReceiver(dir.resolve(base + "_receiver"));
        Side senderSide = senderEvent == null ? Side.missing(senderWhyNot) : writeSender(dir.resolve(base + "_sender"));
        ObjectNode hot = Json.object()
                .put("transport", session.transport().name())
                .put("frame", session.preset().presetName())
                .put("profiled", true)
                .put("note", "async-profiler sampled these JVMs during the measurement iterations: the run's throughput and CPU figures"
                        + " carry its cost and are not for publishing")
                .put("eventRequested", settings.event().toString());
        hot.set("sender", senderSide.json(base + "_sender"));
        hot.set("receiver", receiverSide.json(base + "_receiver"));
        String json = Json.pretty(hot);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(base + "_hot.json"), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("framebench flames: cannot write " + dir.resolve(base + "_hot.json") + ": " + e.getMessage());
        }
        String headline = base + ": sender " + senderSide.summary() + "; receiver " + receiverSide.summary();
        try {
            // The same tables as text: the run's summary shows them, so nobody has to open a profiler to see them.
            Files.writeString(dir.resolve(base + HOT_TEXT), headline + System.lineSeparator() + senderSide.table("sender")
                    + receiverSide.table("receiver"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("framebench flames: cannot write " + dir.resolve(base + HOT_TEXT) + ": " + e.getMessage());
        }
        System.out.println("framebench flames: " + headline + " -> flames/" + base + "_{sender,receiver}.html");
    }

    private Side writeReceiver(Path prefix) {
        try {
            receiver.finish(prefix, prefix.getFileName() + " (" + receiver.event().used() + ")");
            return Side.of(receiver.event(), CollapsedStacks.read(Path.of(prefix + ".collapsed")));
        } catch (FlamesUnavailableException | java.io.UncheckedIOException e) {
            return Side.missing(e.getMessage());
        }
    }

    private Side writeSender(Path prefix) {
        String reply = askSender(session, SenderFlames.FINISH + " " + prefix);
        if (!reply.startsWith("written")) {
            return Side.missing(reply);
        }
        try {
            return Side.of(senderEvent, CollapsedStacks.read(Path.of(prefix + ".collapsed")));
        } catch (java.io.UncheckedIOException e) {
            return Side.missing(e.getMessage());
        }
    }

    /** The sender's reply; a sender gone or silent is a reply too ("failed ..."), so profiling never fails a trial. */
    private static String askSender(FrameSession session, String command) {
        try {
            return session.profileSender(command);
        } catch (TransportException e) {
            return SenderFlames.FAILED + " sender JVM did not answer " + command.split(" ")[0] + ": " + e.getMessage();
        }
    }

    /** One side's outcome: its event and hot frames, or why it has no profile. */
    private record Side(FlameEvent event, CollapsedStacks stacks, HottestFrames hot, String whyNot) {
        static Side of(FlameEvent event, CollapsedStacks stacks) {
            return new Side(event, stacks, HottestFrames.of(stacks, HottestFrames.TOP), null);
        }

        static Side missing(String whyNot) {
            return new Side(null, null, null, whyNot);
        }

        ObjectNode json(String name) {
            if (event == null) {
                return Json.object().put("profiled", false).put("why", String.valueOf(whyNot));
            }
            ObjectNode side = Json.object()
                    .put("profiled", true)
                    .put("event", event.used())
                    .put("eventReason", event.reason())
                    .put("kernelFrames", stacks.hasKernelFrames())
                    .put("samples", stacks.total())
                    .put("html", name + ".html")
                    .put("collapsed", name + ".collapsed");
            side.set("top", hot.toJson());
            return side;
        }

        String summary() {
            if (event == null) {
                return "not profiled (" + whyNot + ")";
            }
            return String.format(Locale.ROOT, "event=%s (%s), %d samples%s", event.used(), event.reason(), stacks.total(),
                    stacks.hasKernelFrames() ? ", kernel frames" : ", no kernel frames");
        }

        String table(String side) {
            return event == null ? "" : "  " + side + ": hottest frames by self samples (" + event.used() + ", " + stacks.total() + " samples)"
                    + System.lineSeparator() + hot.toTable("    ");
        }
    }
}
