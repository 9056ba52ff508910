package dev.framebench.harness.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * A dot plot: one row per category (a transport, a transport x frame), its values as markers along one
 * value axis, each with a whisker from the low to the high end of its interval. Several dots of a row
 * (frames, sides, figures) sit in lanes a few pixels apart so neither hides the other. Row names are
 * written across, not turned on end; the axis is logarithmic when the values span more than 10x
 * ({@link AxisScale}), and an interval taken in log space is drawn as it is, so no whisker goes below zero.
 *
 * <p>Built by setters that return {@code this}; {@link #draw} lays it out.
 */
final class DotChart implements Chart {
    /** One value: its row, its lane (0 is the top), the value and its interval's ends (NaN: no whisker), and how it is drawn. */
    record Dot(String row, int lane, double value, double low, double high, Color colour, ChartStyle.Marker marker, ChartStyle.Fill fill) {
        Dot(String row, int lane, double value, double low, double high, Color colour, ChartStyle.Marker marker) {
            this(row, lane, value, low, high, colour, marker, ChartStyle.Fill.SOLID);
        }

        boolean drawable() {
            return Double.isFinite(value) && value > 0;
        }

        boolean hasWhisker() {
            return low > 0 && high > 0 && Double.isFinite(low) && Double.isFinite(high) && high > low;
        }
    }

    /** A legend entry: a marker in {@code colour} (when null: a whisker, for the interval's key) and its label. */
    record Key(String label, Color colour, ChartStyle.Marker marker) {
    }

    static final int WIDTH = 900;
    private static final double TITLE = 16;
    private static final double FONT = 12;
    private static final double LINE = 17;
    private static final double LANE_GAP = 7;

    private final String title;
    private final String axisTitle;
    private final List<String> notes = new ArrayList<>();
    private final List<Key> keys = new ArrayList<>();
    private final List<Dot> dots = new ArrayList<>();
    private ChartStyle rowStyle;
    private Function<String, String> transportOfRow = Function.identity();
    private double reference = Double.NaN;
    private String referenceLabel = "";
    private DoubleFunction<String> tickFormat = AxisScale.PLAIN;
    private boolean logAxis;
    private Layout layout;

    DotChart(String title, String axisTitle) {
        this.title = title;
        this.axisTitle = axisTitle;
    }

    /** A line of small print under the title: what the whiskers are, or why there are none. */
    DotChart note(String note) {
        notes.add(note);
        return this;
    }

    DotChart key(String label, Color colour, ChartStyle.Marker marker) {
        keys.add(new Key(label, colour, marker));
        return this;
    }

    DotChart dot(Dot dot) {
        dots.add(dot);
        return this;
    }

    /** Rows are transports: each row's name gets its transport's line as a swatch. */
    DotChart rowsAreTransports(ChartStyle style) {
        return rowsAreTransports(style, Function.identity());
    }

    /** Each row is about one transport ({@code transportOfRow}), whose line is drawn beside the row's name. */
    DotChart rowsAreTransports(ChartStyle style, Function<String, String> transportOfRow) {
        this.rowStyle = style;
        this.transportOfRow = transportOfRow;
        return this;
    }

    /** A dashed vertical line at {@code value} (1 for a ratio), labelled. */
    DotChart reference(double value, String label) {
        this.reference = value;
        this.referenceLabel = label;
        return this;
    }

    /** A logarithmic axis whatever the values' span: for ratios, where 0.8 and 1.25 are equally far from 1. */
    DotChart logAxis() {
        this.logAxis = true;
        return this;
    }

    DotChart tickFormat(DoubleFunction<String> format) {
        this.tickFormat = format;
        return this;
    }

    List<Dot> dots() {
        return List.copyOf(dots);
    }

    AxisScale scale() {
        return layout().scale;
    }

    /** Where everything goes, from the rows, lanes, notes and keys. */
    private record Layout(List<String> rows, int lanes, AxisScale scale, double plotLeft, double plotRight, double keysTop, double plotTop,
                          double rowHeight, int height) {
    }

    private Layout layout() {
        if (layout != null) {
            return layout;
        }
        List<String> rows = new ArrayList<>(new LinkedHashSet<>(dots.stream().map(Dot::row).toList()));
        int lanes = dots.stream().mapToInt(Dot::lane).max().orElse(0) + 1;
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (Dot d : dots) {
            if (!d.drawable()) {
                continue;
            }
            low = Math.min(low, d.hasWhisker() ? d.low() : d.value());
            high = Math.max(high, d.hasWhisker() ? d.high() : d.value());
        }
        if (reference > 0) {
            low = Math.min(low, reference);
            high = Math.max(high, reference);
        }
        AxisScale scale = high > 0 ? AxisScale.fit(low, high, logAxis) : new AxisScale(false, 0, 1);
        double labelWidth = rows.stream().mapToDouble(r -> ChartCanvas.textWidth(r, FONT)).max().orElse(40);
        double plotLeft = 16 + labelWidth + (rowStyle == null ? 10 : 34);
        double plotRight = WIDTH - 30;
        double keysTop = 14 + TITLE + 8 + notes.size() * LINE;
        int keyLines = keyLines(plotRight - 16);
        // A reference line's label sits above the plot: room for it below the keys.
        double plotTop = keysTop + keyLines * LINE + (reference > 0 ? 24 : 14);
        double rowHeight = Math.max(22, lanes * LANE_GAP + 10);
        int height = (int) Math.ceil(plotTop + Math.max(rows.size(), 1) * rowHeight + 56);
        layout = new Layout(rows, lanes, scale, plotLeft, plotRight, keysTop, plotTop, rowHeight, height);
        return layout;
    }

    private int keyLines(double width) {
        int lines = keys.isEmpty() ? 0 : 1;
        double x = 0;
        for (Key key : keys) {
            double w = keyWidth(key);
            if (x > 0 && x + w > width) {
                lines++;
                x = 0;
            }
            x += w;
        }
        return lines;
    }

    private static double keyWidth(Key key) {
        return 22 + ChartCanvas.textWidth(key.label(), FONT) + 18;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public int width() {
        return WIDTH;
    }

    @Override
    public int height() {
        return layout().height;
    }

    @Override
    public void draw(ChartCanvas canvas) {
        Layout l = layout();
        canvas.text(title, 16, 14 + TITLE, TITLE, ChartCanvas.Anchor.START, true, Color.BLACK);
        for (int i = 0; i < notes.size(); i++) {
            canvas.text(notes.get(i), 16, 14 + TITLE + 4 + (i + 1) * LINE - 3, FONT, ChartCanvas.Anchor.START, false, ChartStyle.NOTE);
        }
        drawKeys(canvas, l);
        double plotBottom = l.plotTop + Math.max(l.rows.size(), 1) * l.rowHeight;
        for (int i = 0; i < l.rows.size(); i++) {
            if (i % 2 == 0) {
                double top = l.plotTop + i * l.rowHeight;
                canvas.polygon(new double[] {l.plotLeft, l.plotRight, l.plotRight, l.plotLeft}, new double[] {top, top, top + l.rowHeight, top + l.rowHeight},
                        new Color(0xF4F4F4), null);
            }
        }
        for (double tick : l.scale.ticks()) {
            double x = x(l, tick);
            canvas.line(x, l.plotTop, x, plotBottom, ChartStyle.GRID, 1, ChartCanvas.SOLID);
            canvas.text(tickFormat.apply(tick), x, plotBottom + 16, FONT, ChartCanvas.Anchor.MIDDLE, false, Color.BLACK);
        }
        canvas.line(l.plotLeft, plotBottom, l.plotRight, plotBottom, Color.GRAY, 1, ChartCanvas.SOLID);
        canvas.text(l.scale.title(axisTitle), (l.plotLeft + l.plotRight) / 2, plotBottom + 38, 13, ChartCanvas.Anchor.MIDDLE, false, Color.BLACK);
        if (reference > 0) {
            double x = x(l, reference);
            canvas.line(x, l.plotTop - 4, x, plotBottom, Color.DARK_GRAY, 1.2, new float[] {5, 3});
            canvas.text(referenceLabel, x + 4, l.plotTop - 4, FONT, ChartCanvas.Anchor.START, false, Color.DARK_GRAY);
        }
        for (int i = 0; i < l.rows.size(); i++) {
            String row = l.rows.get(i);
            double centre = l.plotTop + (i + 0.5) * l.rowHeight;
            double labelRight = l.plotLeft - (rowStyle == null ? 8 : 32);
            canvas.text(row, labelRight, centre + 4, FONT, ChartCanvas.Anchor.END, false, Color.BLACK);
            if (rowStyle != null) {
                ChartStyle.Line line = rowStyle.of(transportOfRow.apply(row));
                canvas.line(l.plotLeft - 26, centre, l.plotLeft - 8, centre, line.colour(), 3, line.dash());
            }
            boolean any = false;
            for (Dot d : dots) {
                if (!d.row().equals(row) || !d.drawable()) {
                    continue;
                }
                any = true;
                double y = centre + (d.lane() - (l.lanes - 1) / 2.0) * LANE_GAP;
                if (d.hasWhisker()) {
                    double x1 = x(l, d.low());
                    double x2 = x(l, d.high());
                    Color whisker = d.colour().darker();
                    canvas.line(x1, y, x2, y, whisker, 1.5, ChartCanvas.SOLID);
                    canvas.line(x1, y - 3.5, x1, y + 3.5, whisker, 1.5, ChartCanvas.SOLID);
                    canvas.line(x2, y - 3.5, x2, y + 3.5, whisker, 1.5, ChartCanvas.SOLID);
                }
                d.marker().draw(canvas, x(l, d.value()), y, 4.5, d.colour(), d.fill());
            }
            if (!any) {
                canvas.text("not measured", l.plotLeft + 6, centre + 4, 11, ChartCanvas.Anchor.START, false, ChartStyle.NOTE);
            }
        }
    }

    private void drawKeys(ChartCanvas canvas, Layout l) {
        double x = 16;
        double y = l.keysTop + LINE - 4;
        for (Key key : keys) {
            double w = keyWidth(key);
            if (x > 16 && x + w > l.plotRight) {
                x = 16;
                y += LINE;
            }
            if (key.marker() == null) {
                canvas.line(x, y - 4, x + 16, y - 4, key.colour(), 1.5, ChartCanvas.SOLID);
                canvas.line(x, y - 7.5, x, y - 0.5, key.colour(), 1.5, ChartCanvas.SOLID);
                canvas.line(x + 16, y - 7.5, x + 16, y - 0.5, key.colour(), 1.5, ChartCanvas.SOLID);
            } else {
                key.marker().draw(canvas, x + 8, y - 4, 4.5, key.colour());
            }
            canvas.text(key.label(), x + 22, y, FONT, ChartCanvas.Anchor.START, false, Color.BLACK);
            x += w;
        }
    }

    private static double x(Layout l, double value) {
        return l.plotLeft + l.scale.fraction(value) * (l.plotRight - l.plotLeft);
    }
}
