package dev.framebench.harness.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A chart as a PNG, drawn by Java2D (headless) at {@link #SCALE} times the SVG's pixels: the picture to
 * look at before a chart is published, since an SVG's problems (overlaps, an unreadable colour) only show
 * when it is drawn.
 */
final class RasterCanvas implements ChartCanvas {
    static final double SCALE = 1.5;
    private final BufferedImage image;
    private final Graphics2D g;

    RasterCanvas(int width, int height) {
        image = new BufferedImage((int) Math.ceil(width * SCALE), (int) Math.ceil(height * SCALE), BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.scale(SCALE, SCALE);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, Color colour, double width, float[] dash) {
        stroke(colour, width, dash);
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, Color colour, double width, float[] dash) {
        stroke(colour, width, dash);
        g.draw(path(xs, ys, false));
    }

    @Override
    public void polygon(double[] xs, double[] ys, Color fill, Color stroke) {
        paint(path(xs, ys, true), fill, stroke);
    }

    @Override
    public void circle(double cx, double cy, double radius, Color fill, Color stroke) {
        paint(new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius), fill, stroke);
    }

    /** Fills {@code shape} with {@code fill}, then outlines it with {@code stroke}; either may be null for none. */
    private void paint(Shape shape, Color fill, Color stroke) {
        if (fill != null) {
            g.setColor(fill);
            g.fill(shape);
        }
        if (stroke != null) {
            stroke(stroke, 1, SOLID);
            g.draw(shape);
        }
    }

    @Override
    public void text(String text, double x, double y, double size, Anchor anchor, boolean bold, Color colour) {
        g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size));
        double width = g.getFontMetrics().getStringBounds(text, g).getWidth();
        double left = switch (anchor) {
            case START -> x;
            case MIDDLE -> x - width / 2;
            case END -> x - width;
        };
        g.setColor(colour);
        g.drawString(text, (float) left, (float) y);
    }

    byte[] png() throws IOException {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private void stroke(Color colour, double width, float[] dash) {
        g.setColor(colour);
        g.setStroke(dash.length == 0 ? new BasicStroke((float) width)
                : new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
    }

    private static Path2D path(double[] xs, double[] ys, boolean closed) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        if (closed) {
            p.closePath();
        }
        return p;
    }
}
