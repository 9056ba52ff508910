package dev.framebench.harness.report;

import java.awt.Color;

/**
 * What a chart draws on: a few primitives in pixels, origin top left, implemented once for SVG
 * ({@link SvgCanvas}: text stays {@code <text>}, selectable and searchable) and once for PNG
 * ({@link RasterCanvas}: Java2D), so the PNG a reader checks before publishing is the SVG they publish.
 *
 * <p>Layout never asks a font how wide a string is: {@link #textWidth} is an estimate from the character
 * count, the same on both canvases, so the two files place everything alike whatever fonts a host has.
 */
interface ChartCanvas {
    /** Where a text's x coordinate is: its start, middle or end. */
    enum Anchor { START, MIDDLE, END }

    /** Dash patterns in pixels; empty for a solid line. */
    float[] SOLID = new float[0];

    void line(double x1, double y1, double x2, double y2, Color colour, double width, float[] dash);

    void polyline(double[] xs, double[] ys, Color colour, double width, float[] dash);

    /** A closed shape, filled with {@code fill} (null: not filled) and outlined with {@code stroke} (null: no outline). */
    void polygon(double[] xs, double[] ys, Color fill, Color stroke);

    void circle(double cx, double cy, double radius, Color fill, Color stroke);

    /** One line of text; {@code y} is its baseline. */
    void text(String text, double x, double y, double size, Anchor anchor, boolean bold, Color colour);

    /** The estimated width of {@code text} at {@code size} px in a sans-serif font: wide enough for DejaVu Sans. */
    static double textWidth(String text, double size) {
        return text.length() * size * 0.6;
    }
}
