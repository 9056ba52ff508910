package dev.framebench.harness.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Values with their intervals, one column per category (a transport, a row of a comparison), one dot per
 * series in each column (frames, figures), drawn on a logarithmic axis with whiskers from the low to the high
 * end of each interval.
 *
 * <p>XChart's error bars are symmetric about the value, and on its logarithmic axis they are drawn wrong;
 * an interval taken in log space is symmetric in the logarithm, though. So the chart plots {@code log10(value)}
 * on a linear axis with error bars of {@code log10(high / value)}, and labels the ticks with {@code 10^y}: a
 * log axis whose whiskers are exactly the intervals, never below zero.
 */
final class IntervalChart {
    /** One dot: its column, its series, the value and the interval's ends (NaN: no whisker). */
    record Point(String category, String series, double value, double low, double high) {
    }

    private IntervalChart() {
    }

    /**
     * @param reference a horizontal line at this value (1 for a ratio: no change), or null
     */
    static CategoryChart draw(int width, int height, String xTitle, String yTitle, List<Point> points, Double reference) {
        // Points that are not positive have no logarithm and cannot be placed.
        List<Point> drawn = points.stream().filter(p -> Double.isFinite(p.value()) && p.value() > 0).toList();
        List<String> categories = new ArrayList<>(new LinkedHashSet<>(drawn.stream().map(Point::category).toList()));
        List<String> series = new ArrayList<>(new LinkedHashSet<>(drawn.stream().map(Point::series).toList()));
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(90);
        // Every column named: a tick spacing hint small enough that XChart keeps them all.
        chart.getStyler().setXAxisTickMarkSpacingHint(12);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(y -> String.format(Locale.ROOT, "%.3g", Math.pow(10, y)));
        if (drawn.isEmpty()) {
            chart.addSeries("no data", List.of("-"), List.of(0.0)).setMarker(SeriesMarkers.NONE);
            return chart;
        }
        for (String name : series) {
            List<Double> logs = new ArrayList<>();
            List<Double> halfWidths = new ArrayList<>();
            for (String category : categories) {
                Point p = drawn.stream().filter(q -> q.series().equals(name) && q.category().equals(category)).findFirst().orElse(null);
                logs.add(p == null ? null : Math.log10(p.value()));
                halfWidths.add(p == null ? null : logHalfWidth(p));
            }
            chart.addSeries(name, categories, logs, halfWidths).setMarker(SeriesMarkers.CIRCLE);
        }
        if (reference != null && reference > 0) {
            chart.addAnnotation(new AnnotationLine(Math.log10(reference), false, false));
        }
        return chart;
    }

    /** log10(high / value), the whisker's reach either side in log units; 0 without an interval. */
    static double logHalfWidth(Point p) {
        if (!(p.low() > 0) || !(p.high() > 0)) {
            return 0;
        }
        // The two ends are equally far from the value in log space; averaging them absorbs rounding.
        return (Math.log10(p.high()) - Math.log10(p.low())) / 2;
    }
}
