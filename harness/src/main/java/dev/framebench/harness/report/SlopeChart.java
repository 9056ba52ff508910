package dev.framebench.harness.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * One line per transport across a few columns (frame presets, smallest first), values on a vertical axis
 * that is logarithmic past 10x ({@link AxisScale}); each line in its transport's colour and dash, each
 * point in its column's marker, and each line named at its right end, the names pushed apart where lines
 * end close together, so no legend has to be matched by colour. No whiskers: a dozen of them on one
 * column hide each other, so the chart that shows a trend leaves the intervals to a dot plot.
 */
final class SlopeChart implements Chart {
    /** One transport's values, one per column (NaN: not measured there). */
    record Series(String name, double[] values) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;
    private static final double FONT = 12;
    private static final double LABEL_GAP = 14;

    private final String title;
    private final String axisTitle;
    private final List<String> columnLabels;
    private final List<ChartStyle.Marker> markers;
    private final ChartStyle style;
    private final List<Series> series = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private DoubleFunction<String> tickFormat = AxisScale.PLAIN;

    SlopeChart(String title, String axisTitle, List<String> columnLabels, List<ChartStyle.Marker> markers, ChartStyle style) {
        this.title = title;
        this.axisTitle = axisTitle;
        this.columnLabels = List.copyOf(columnLabels);
        this.markers = List.copyOf(markers);
        this.style = style;
    }

    SlopeChart series(Series s) {
        series.add(s);
        return this;
    }

    SlopeChart note(String note) {
        notes.add(note);
        return this;
    }

    SlopeChart tickFormat(DoubleFunction<String> format) {
        this.tickFormat = format;
        return this;
    }

    List<Series> series() {
        return List.copyOf(series);
    }

    AxisScale scale() {
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (Series s : series) {
            for (int i = 0; i < s.values().length; i++) {
                if (s.values()[i] > 0) {
                    low = Math.min(low, s.values()[i]);
                    high = Math.max(high, s.values()[i]);
                }
            }
        }
        return high > 0 ? AxisScale.fit(low, high) : new AxisScale(false, 0, 1);
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
        return HEIGHT;
    }

    @Override
    public void draw(ChartCanvas canvas) {
        canvas.text(title, 16, 30, 16, ChartCanvas.Anchor.START, true, Color.BLACK);
        for (int i = 0; i < notes.size(); i++) {
            canvas.text(notes.get(i), 16, 50 + i * 17, FONT, ChartCanvas.Anchor.START, false, ChartStyle.NOTE);
        }
        AxisScale scale = scale();
        double top = 72 + notes.size() * 17;
        double bottom = HEIGHT - 60;
        double left = 90;
        double labelSpace = series.stream().mapToDouble(s -> ChartCanvas.textWidth(s.name(), FONT)).max().orElse(60) + 40;
        double right = WIDTH - labelSpace;
        for (double tick : scale.ticks()) {
            double y = y(scale, tick, top, bottom);
            canvas.line(left, y, right, y, ChartStyle.GRID, 1, ChartCanvas.SOLID);
            canvas.text(tickFormat.apply(tick), left - 8, y + 4, FONT, ChartCanvas.Anchor.END, false, Color.BLACK);
        }
        canvas.text(scale.title(axisTitle), 16, top - 14, FONT, ChartCanvas.Anchor.START, false, Color.BLACK);
        double[] xs = new double[columnLabels.size()];
        for (int c = 0; c < xs.length; c++) {
            xs[c] = columnLabels.size() == 1 ? (left + right) / 2 : left + 40 + c * (right - left - 80) / (columnLabels.size() - 1);
            canvas.line(xs[c], top, xs[c], bottom, ChartStyle.GRID, 1, ChartCanvas.SOLID);
            markers.get(c).draw(canvas, xs[c] - ChartCanvas.textWidth(columnLabels.get(c), FONT) / 2 - 10, bottom + 20, 4.5, Color.GRAY);
            canvas.text(columnLabels.get(c), xs[c], bottom + 24, FONT, ChartCanvas.Anchor.MIDDLE, false, Color.BLACK);
        }
        canvas.text("frame preset (payload per frame)", (left + right) / 2, bottom + 46, 13, ChartCanvas.Anchor.MIDDLE, false, Color.BLACK);
        List<double[]> ends = new ArrayList<>();
        for (Series s : series) {
            ChartStyle.Line line = style.of(s.name());
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            for (int c = 0; c < xs.length; c++) {
                if (s.values()[c] > 0) {
                    px.add(xs[c]);
                    py.add(y(scale, s.values()[c], top, bottom));
                }
            }
            if (px.size() > 1) {
                canvas.polyline(px.stream().mapToDouble(Double::doubleValue).toArray(), py.stream().mapToDouble(Double::doubleValue).toArray(),
                        line.colour(), 2, line.dash());
            }
            for (int c = 0; c < xs.length; c++) {
                if (!(s.values()[c] > 0)) {
                    continue;
                }
                markers.get(c).draw(canvas, xs[c], y(scale, s.values()[c], top, bottom), 4, line.colour(), line.fill());
            }
            if (!py.isEmpty()) {
                ends.add(new double[] {series.indexOf(s), px.getLast(), py.getLast()});
            }
        }
        labelEnds(canvas, ends, top, bottom);
    }

    /** Names at the lines' right ends, pushed down (then back up at the bottom) until {@link #LABEL_GAP} apart. */
    private void labelEnds(ChartCanvas canvas, List<double[]> ends, double top, double bottom) {
        ends.sort(Comparator.comparingDouble(e -> e[2]));
        double[] placed = new double[ends.size()];
        for (int i = 0; i < ends.size(); i++) {
            placed[i] = Math.max(ends.get(i)[2], i == 0 ? top : placed[i - 1] + LABEL_GAP);
        }
        for (int i = ends.size() - 1; i >= 0; i--) {
            placed[i] = Math.min(placed[i], i == ends.size() - 1 ? bottom : placed[i + 1] - LABEL_GAP);
        }
        for (int i = 0; i < ends.size(); i++) {
            double[] end = ends.get(i);
            Series s = series.get((int) end[0]);
            ChartStyle.Line line = style.of(s.name());
            double labelX = end[1] + 30;
            canvas.line(end[1] + 6, end[2], labelX - 4, placed[i], line.colour(), 1, ChartCanvas.SOLID);
            canvas.text(s.name(), labelX, placed[i] + 4, FONT, ChartCanvas.Anchor.START, false, Color.BLACK);
        }
    }

    private static double y(AxisScale scale, double value, double top, double bottom) {
        return bottom - scale.fraction(value) * (bottom - top);
    }
}
