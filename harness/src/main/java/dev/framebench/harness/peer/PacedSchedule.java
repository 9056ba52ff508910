package dev.framebench.harness.peer;

import dev.framebench.error.BadInputException;

import java.util.Locale;

/**
 * The fixed frame schedule of one paced stream: frame {@code k} is due at {@code startNanos + k * intervalNanos}.
 * The interval is a whole number of nanoseconds, so consecutive frames' intended send times differ by
 * exactly {@link #intervalNanos()} (30 fps: 33,333,333 ns; the rate is off by 1e-8, far below any clock's
 * drift). Streams of one run are staggered by {@code interval / streams} so that N streams do not all
 * send in the same instant, as independent cameras or meetings would not.
 *
 * @param fps           target frames per second of one stream
 * @param intervalNanos nanoseconds between consecutive frames' intended send times
 */
public record PacedSchedule(double fps, long intervalNanos) {
    /** Rates above this leave under 100 us a frame: not a paced video stream any more; saturation runs measure that. */
    public static final double MAX_FPS = 10_000;
    /** Most streams one run may ask for: each gets a receiving thread and a transport endpoint of its own. */
    public static final int MAX_STREAMS = 1024;

    public static PacedSchedule ofFps(String text) {
        double fps;
        try {
            fps = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            fps = Double.NaN;
        }
        if (!(fps > 0 && fps <= MAX_FPS)) {
            throw new BadInputException("bad value fps=" + text.trim() + "; allowed: frames per second of each stream, a number above 0 and at most "
                    + (long) MAX_FPS + " (e.g. 30 or 29.97)");
        }
        return new PacedSchedule(fps, Math.round(1e9 / fps));
    }

    public static int streams(String text) {
        int streams;
        try {
            streams = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            streams = -1;
        }
        if (streams < 1 || streams > MAX_STREAMS) {
            throw new BadInputException("bad value streams=" + text.trim() + "; allowed: a whole number from 1 to " + MAX_STREAMS);
        }
        return streams;
    }

    /** Checks comma-separated lists of stream counts, rates and topologies; the first bad value is one line. */
    public static void check(String streamsList, String fpsList, String topologyList) {
        for (String s : streamsList.split(",")) {
            streams(s);
        }
        for (String f : fpsList.split(",")) {
            ofFps(f);
        }
        for (String t : topologyList.split(",")) {
            Topology.byName(t.trim());
        }
    }

    /** Offset of stream {@code index} of {@code streams} within one frame interval. */
    public long phaseNanos(int index, int streams) {
        return intervalNanos * index / streams;
    }

    /** When frame {@code sequence} of a stream that started at {@code startNanos} is due. */
    public long intendedNanos(long startNanos, long sequence) {
        return startNanos + sequence * intervalNanos;
    }

    public String fpsText() {
        return fps == Math.rint(fps) ? Long.toString((long) fps) : String.format(Locale.ROOT, "%.3f", fps);
    }
}
