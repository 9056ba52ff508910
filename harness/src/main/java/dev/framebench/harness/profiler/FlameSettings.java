package dev.framebench.harness.profiler;

import dev.framebench.error.BadInputException;

import java.nio.file.Path;

/**
 * What a flame-graph run needs in each JVM: where the files go, the event asked for, and whether
 * perf_events may be used. Travels as a JMH profiler init line, {@code dir=PATH;event=cpu;perfEvents=auto}.
 *
 * @param dir           the {@code flames/} folder of the results
 * @param event         the requested event, one of {@link FlameEvent#REQUESTABLE}
 * @param perfEventsOff true to take the {@code itimer} fall-back even where perf_events work
 */
public record FlameSettings(Path dir, String event, boolean perfEventsOff) {
    /**
     * {@code -Dframebench.flames.perfEvents=off} on the command that starts a run: take the {@code itimer}
     * fall-back even where perf_events work (a VM whose perf_events misbehave; the tests of the fall-back).
     */
    public static final String PERF_EVENTS_PROPERTY = "framebench.flames.perfEvents";

    public FlameSettings {
        FlameEvent.requireRequestable(event);
    }

    /** Settings of a run started in this JVM: perf_events off only when the property says so. */
    public static FlameSettings of(Path dir, String event) {
        String perf = System.getProperty(PERF_EVENTS_PROPERTY, "auto");
        if (!perf.equals("auto") && !perf.equals("off")) {
            throw new BadInputException("bad value " + PERF_EVENTS_PROPERTY + "=" + perf + "; allowed: auto, off");
        }
        return new FlameSettings(dir, event, perf.equals("off"));
    }

    public String initLine() {
        return "dir=" + dir + ";event=" + event + ";perfEvents=" + (perfEventsOff ? "off" : "auto");
    }

    public static FlameSettings parse(String initLine) {
        Path dir = null;
        String event = "cpu";
        boolean off = false;
        for (String part : initLine == null ? new String[0] : initLine.split(";")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
            String value = eq < 0 ? "" : part.substring(eq + 1).trim();
            switch (key) {
                case "dir" -> dir = Path.of(value);
                case "event" -> event = value;
                case "perfEvents" -> off = value.equals("off");
                case "" -> { }
                default -> throw new BadInputException("unknown flame-graph option '" + key + "'; valid: dir, event, perfEvents");
            }
        }
        if (dir == null) {
            throw new BadInputException("flame graphs need a folder: dir=PATH (e.g. dir=flames;event=cpu)");
        }
        return new FlameSettings(dir.toAbsolutePath(), event, off);
    }
}
