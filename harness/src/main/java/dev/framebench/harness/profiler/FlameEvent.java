package dev.framebench.harness.profiler;

import dev.framebench.error.BadInputException;

import java.util.List;

/**
 * What a side samples: the event asked for ({@code requested}) and the one it really uses ({@code used}).
 * {@code cpu} needs perf_events (the only engine that also sees kernel frames); where they are not
 * available (perf_event_paranoid, seccomp, containers) or turned off, framebench uses {@code itimer}
 * itself instead of leaving the choice to async-profiler, whose own fall-back is silent, so the event
 * recorded with every profile is the one that made it.
 *
 * @param requested the event the run asked for
 * @param used      the event this JVM samples
 * @param reason    why {@code used} differs from {@code requested}, or what {@code cpu} runs on; one phrase
 */
public record FlameEvent(String requested, String used, String reason) {
    /** Events a run may ask for; the rest of async-profiler's events are reachable through plain JMH. */
    public static final List<String> REQUESTABLE = List.of("cpu", "itimer", "ctimer", "wall", "alloc", "lock");
    /** The fall-back of {@code cpu}: setitimer(ITIMER_PROF) works wherever signals do, but sees no kernel frames. */
    public static final String FALLBACK = "itimer";
    /**
     * 1 ms between CPU samples: about 1,000 samples per busy core-second, so a 5 s window gives each side
     * enough samples that a frame's share is good to about a percentage point.
     */
    static final String CPU_INTERVAL = "1ms";
    /** Wall-clock samples every thread, idle or not: 10 ms keeps that affordable with a JVM's dozen threads. */
    static final String WALL_INTERVAL = "10ms";

    public static String requireRequestable(String event) {
        if (!REQUESTABLE.contains(event)) {
            throw new BadInputException("bad value flamesEvent=" + event + "; allowed: " + String.join(", ", REQUESTABLE));
        }
        return event;
    }

    /** The event to use for {@code requested}, given whether perf_events work in this JVM. */
    public static FlameEvent resolve(String requested, boolean perfEventsAvailable, boolean perfEventsTurnedOff) {
        requireRequestable(requested);
        if (!requested.equals("cpu")) {
            return new FlameEvent(requested, requested, "as requested");
        }
        if (perfEventsTurnedOff) {
            return new FlameEvent(requested, FALLBACK, "perf_events turned off (" + FlameSettings.PERF_EVENTS_PROPERTY + "=off)");
        }
        if (!perfEventsAvailable) {
            return new FlameEvent(requested, FALLBACK, "perf_events unavailable (perf_event_paranoid, seccomp or no PMU)");
        }
        return new FlameEvent(requested, requested, "perf_events");
    }

    /** The arguments of async-profiler's {@code start} or {@code resume} for this event. */
    String arguments() {
        return switch (used) {
            case "cpu", "itimer", "ctimer" -> "event=" + used + ",interval=" + CPU_INTERVAL;
            case "wall" -> "event=wall,interval=" + WALL_INTERVAL;
            default -> "event=" + used;
        };
    }
}
