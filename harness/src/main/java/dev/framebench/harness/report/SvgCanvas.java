package dev.framebench.harness.report;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A chart as SVG 1.1 text. Text is written as {@code <text>} elements (a reader can select and search
 * it, and a chart is a few tens of KB), shapes as {@code <line>}, {@code <polyline>}, {@code <polygon>} and
 * {@code <circle>}, coordinates rounded to a tenth of a pixel.
 */
final class SvgCanvas implements ChartCanvas {
    static final String FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";
    private final StringBuilder svg = new StringBuilder();

    SvgCanvas(int width, int height) {
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" font-family=\"").append(FONT).append("\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color colour, double width, float[] dash) {
        svg.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2)).append("\" y2=\"").append(n(y2))
                .append('"').append(stroke(colour, width, dash)).append("/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color colour, double width, float[] dash) {
        svg.append("<polyline points=\"").append(points(xs, ys)).append("\" fill=\"none\"").append(stroke(colour, width, dash)).append("/>\n");
    }

    @Override
    public void polygon(double[] xs, double[] ys, Color fill, Color stroke) {
        svg.append("<polygon points=\"").append(points(xs, ys)).append("\" fill=\"").append(fill == null ? "none" : hex(fill)).append('"')
                .append(stroke == null ? "" : stroke(stroke, 1, SOLID)).append("/>\n");
    }

    @Override
    public void circle(double cx, double cy, double radius, Color fill, Color stroke) {
        svg.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(radius)).append("\" fill=\"")
                .append(fill == null ? "none" : hex(fill)).append('"').append(stroke == null ? "" : stroke(stroke, 1, SOLID)).append("/>\n");
    }

    @Override
    public void text(String text, double x, double y, double size, Anchor anchor, boolean bold, Color colour) {
        svg.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size)).append('"');
        if (anchor != Anchor.START) {
            svg.append(" text-anchor=\"").append(anchor == Anchor.MIDDLE ? "middle" : "end").append('"');
        }
        if (bold) {
            svg.append(" font-weight=\"bold\"");
        }
        if (!colour.equals(Color.BLACK)) {
            svg.append(" fill=\"").append(hex(colour)).append('"');
        }
        svg.append('>').append(escape(text)).append("</text>\n");
    }

    byte[] bytes() {
        return (svg + "</svg>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String stroke(Color colour, double width, float[] dash) {
        StringBuilder s = new StringBuilder(" stroke=\"").append(hex(colour)).append('"');
        if (width != 1) {
            s.append(" stroke-width=\"").append(n(width)).append('"');
        }
        if (dash.length > 0) {
            s.append(" stroke-dasharray=\"");
            for (int i = 0; i < dash.length; i++) {
                s.append(i == 0 ? "" : ",").append(n(dash[i]));
            }
            s.append('"');
        }
        return s.toString();
    }

    private static String points(double[] xs, double[] ys) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            p.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        }
        return p.toString();
    }

    static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** A coordinate to a tenth of a pixel, without a trailing ".0". */
    private static String n(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
