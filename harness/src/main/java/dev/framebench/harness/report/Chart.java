package dev.framebench.harness.report;

/** A chart laid out in pixels, drawn the same way on any {@link ChartCanvas}. */
interface Chart {
    /** What the chart shows, drawn at its top and used as the README's alt text. */
    String title();

    int width();

    int height();

    void draw(ChartCanvas canvas);
}
