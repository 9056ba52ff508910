package dev.framebench.harness.report;

import dev.framebench.frame.FramePreset;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a colour, a marker and a dash mean in every chart of a report, so a reader learns them once.
 *
 * <ul>
 *   <li>A <b>colour</b> is a transport's, the same in every chart and every run: a fixed table for the
 *       transports of this repository; a transport it does not know takes the first free slot, in order of
 *       name. Colours are Paul Tol's colour-blind-safe "muted" set; past its nine colours a dash pattern
 *       (and, on a marker, a ring or a tint) tells two transports of one colour apart, so {@link #SLOTS}
 *       transports stay distinct.</li>
 *   <li><b>Sender and receiver</b> have their own pair (Okabe-Ito vermillion and blue, also colour-blind
 *       safe) that no transport uses; their sum is black.</li>
 *   <li>A <b>marker</b> is a frame preset's (circle: 1080p I420, square: 1080p RGBA, ...).</li>
 * </ul>
 */
final class ChartStyle {
    /**
     * A transport's look: its colour, its line's dash pattern (solid for the first nine) and the fill of its
     * markers that goes with the dash (solid: filled; dashed: a ring; dotted: a tint), so two transports of one
     * colour stay apart in a dot plot too, where no line is drawn.
     */
    record Line(Color colour, float[] dash, Fill fill) {
    }

    /** How a marker is filled: with its colour, as a ring of it, or with a tint of it; one per dash pattern. */
    enum Fill { SOLID, RING, TINT }

    /** The shape drawn at a value. */
    enum Marker {
        CIRCLE, SQUARE, DIAMOND, TRIANGLE_UP, TRIANGLE_DOWN;

        /** Draws this marker centred at (x, y), about {@code 2 * radius} across, filled with {@code colour}. */
        void draw(ChartCanvas canvas, double x, double y, double radius, Color colour) {
            draw(canvas, x, y, radius, colour, Fill.SOLID);
        }

        /** Draws this marker filled as {@code fill} says: a ring is the marker with its middle punched out in white. */
        void draw(ChartCanvas canvas, double x, double y, double radius, Color colour, Fill fill) {
            switch (fill) {
                case SOLID -> shape(canvas, x, y, radius, colour, colour.darker());
                case RING -> {
                    shape(canvas, x, y, radius * 1.1, colour, colour.darker());
                    shape(canvas, x, y, radius * 0.5, Color.WHITE, null);
                }
                case TINT -> shape(canvas, x, y, radius, tint(colour), colour.darker());
            }
        }

        private void shape(ChartCanvas canvas, double x, double y, double radius, Color colour, Color outline) {
            switch (this) {
                case CIRCLE -> canvas.circle(x, y, radius, colour, outline);
                case SQUARE -> {
                    double r = radius * 0.9;
                    canvas.polygon(new double[] {x - r, x + r, x + r, x - r}, new double[] {y - r, y - r, y + r, y + r}, colour, outline);
                }
                case DIAMOND -> {
                    double r = radius * 1.25;
                    canvas.polygon(new double[] {x, x + r, x, x - r}, new double[] {y - r, y, y + r, y}, colour, outline);
                }
                case TRIANGLE_UP -> canvas.polygon(new double[] {x, x + radius * 1.15, x - radius * 1.15},
                        new double[] {y - radius * 1.2, y + radius * 0.8, y + radius * 0.8}, colour, outline);
                case TRIANGLE_DOWN -> canvas.polygon(new double[] {x, x + radius * 1.15, x - radius * 1.15},
                        new double[] {y + radius * 1.2, y - radius * 0.8, y - radius * 0.8}, colour, outline);
            }
        }
    }

    /** Paul Tol's "muted" scheme (personal.sron.nl/~pault), distinct for the common forms of colour blindness. */
    static final List<Color> PALETTE = List.of(new Color(0x332288), new Color(0x88CCEE), new Color(0xCC6677), new Color(0x117733),
            new Color(0xDDCC77), new Color(0xAA4499), new Color(0x44AA99), new Color(0x882255), new Color(0x999933));
    static final List<float[]> DASHES = List.of(ChartCanvas.SOLID, new float[] {7, 4}, new float[] {2, 3});
    /** Colour x dash combinations: how many transports one chart tells apart by line alone. */
    static final int SLOTS = PALETTE.size() * DASHES.size();

    /** Okabe-Ito vermillion and blue: sender and receiver in every chart, never a transport's colour. */
    static final Color SENDER = new Color(0xD55E00);
    static final Color RECEIVER = new Color(0x0072B2);
    static final Color BOTH_SIDES = Color.BLACK;
    static final Color GRID = new Color(0xDDDDDD);
    static final Color NOTE = new Color(0x444444);

    /**
     * The transports of this repository, each a slot: colour index + palette size x dash index. Neighbours in
     * throughput (the shared-memory rings and the in-process ceilings; tcp and uds-jdk) have distinct colours.
     */
    private static final Map<String, Integer> FIXED = fixed();

    private static Map<String, Integer> fixed() {
        Map<String, Integer> slots = new LinkedHashMap<>();
        List<String> solid = List.of("inproc-handoff", "inproc-copy", "shm-ffm", "shm-agrona", "shm-agrona-mpsc", "aeron-ipc", "uds-junix",
                "tcp", "uds-jdk");
        List<String> dashed = List.of("tcp-netty", "file-handoff", "ws-netty", "ws-javaws", "shm-slots", "null");
        for (int i = 0; i < solid.size(); i++) {
            slots.put(solid.get(i), i);
        }
        for (int i = 0; i < dashed.size(); i++) {
            slots.put(dashed.get(i), PALETTE.size() + i);
        }
        return Map.copyOf(slots);
    }

    private final Map<String, Line> lines = new LinkedHashMap<>();

    /** The styles of {@code transports}: fixed ones from the table, the others in the free slots in order of name. */
    ChartStyle(List<String> transports) {
        List<Integer> free = new ArrayList<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            if (!FIXED.containsValue(slot)) {
                free.add(slot);
            }
        }
        int next = 0;
        for (String transport : new TreeSet<>(transports)) {
            Integer slot = FIXED.get(transport);
            if (slot == null) {
                // Past every slot, colours repeat: rows are labelled, and the index of a run has no more than a few dozen transports.
                slot = free.isEmpty() ? next % SLOTS : free.get(next % free.size());
                next++;
            }
            int variant = slot / PALETTE.size() % DASHES.size();
            lines.put(transport, new Line(PALETTE.get(slot % PALETTE.size()), DASHES.get(variant), Fill.values()[variant]));
        }
    }

    /** The line of {@code transport}; one this style was not built with is drawn dark grey. */
    Line of(String transport) {
        return lines.getOrDefault(transport, new Line(Color.DARK_GRAY, ChartCanvas.SOLID, Fill.SOLID));
    }

    /** {@code colour} halfway to white. */
    static Color tint(Color colour) {
        return new Color((colour.getRed() + 255) / 2, (colour.getGreen() + 255) / 2, (colour.getBlue() + 255) / 2);
    }

    Color colourOf(String transport) {
        return of(transport).colour();
    }

    /** The marker of a frame preset, by its place among the presets this build knows; unknown presets take a diamond. */
    static Marker markerOf(String frame) {
        return switch (frame) {
            case "1080p-i420" -> Marker.CIRCLE;
            case "1080p-rgba" -> Marker.SQUARE;
            case "720p-i420" -> Marker.TRIANGLE_UP;
            case "2160p-i420" -> Marker.TRIANGLE_DOWN;
            default -> Marker.DIAMOND;
        };
    }

    /** A frame's name and payload size for an axis or a legend: {@code 1080p-i420 (3.11 MB)}. */
    static String frameLabel(String frame) {
        try {
            return frame + " (" + AxisScale.plain(FramePreset.byName(frame).payloadBytes() / 1e6) + " MB)";
        } catch (RuntimeException unknown) {
            return frame;
        }
    }
}
