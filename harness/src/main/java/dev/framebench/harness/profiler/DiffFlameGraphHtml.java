package dev.framebench.harness.profiler;

import java.util.Locale;

/**
 * A {@link DiffTree} drawn as a self-contained HTML page with one SVG flame graph (root at the bottom):
 * width = mean of the frame's two inclusive shares, colour = change of its inclusive share, red grew,
 * blue shrank, white unchanged. Hovering a frame shows both shares and the change. One profile alone
 * ({@link #renderProfile}, for samplers without a renderer of their own, perf) is the same drawing with
 * no change to colour: kernel frames orange, the others yellow.
 */
final class DiffFlameGraphHtml {
    private static final double WIDTH_PX = 1200;
    private static final int FRAME_PX = 16;
    /** Frames narrower than this share of the graph are left out: too thin to see or to matter. */
    private static final double MIN_WIDTH_SHARE = 0.0005;
    /** Average glyph width of the 11 px sans-serif font, to fit labels into frames. */
    private static final double CHAR_PX = 7;

    private DiffFlameGraphHtml() {
    }

    /** One profile as a plain flame graph: width = the frame's inclusive share of samples. */
    public static String renderProfile(CollapsedStacks stacks, String title, String headline) {
        DiffTree root = DiffTree.of(stacks, stacks);
        StringBuilder svg = new StringBuilder();
        draw(svg, root, root, 0, 0, root.depth(), 0, false);
        return "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" + escape(title) + "</title>\n"
                + "<style>body{font:12px sans-serif;margin:16px}pre{font-size:12px}text{font:11px sans-serif;pointer-events:none}"
                + "rect:hover{stroke:#000;stroke-width:0.5}</style></head><body>\n"
                + "<h2>Flame graph: " + escape(title) + "</h2>\n"
                + "<p>Width: share of samples, the frame's callees included; kernel frames orange. Hover a frame for its figures.</p>\n<pre>"
                + escape(headline) + "</pre>\n"
                + String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' height='%.0f'>%n", WIDTH_PX, (root.depth() + 1.0) * FRAME_PX)
                + svg + "</svg>\n</body></html>\n";
    }

    static String render(DiffTree root, String title, String headline) {
        double maxDelta = maxDelta(root, root);
        int depth = root.depth();
        double height = (depth + 1) * FRAME_PX;
        StringBuilder svg = new StringBuilder();
        draw(svg, root, root, 0, 0, depth, maxDelta, true);
        return "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>" + escape(title) + "</title>\n"
                + "<style>body{font:12px sans-serif;margin:16px}pre{font-size:12px}text{font:11px sans-serif;pointer-events:none}"
                + "rect:hover{stroke:#000;stroke-width:0.5}</style></head><body>\n"
                + "<h2>Differential flame graph: " + escape(title) + "</h2>\n"
                + "<p>Width: mean share of samples in A and B. Colour: change of the frame's share (including its callees) from A to B, "
                + "<span style='background:#f66'>&nbsp;red grew&nbsp;</span> <span style='background:#69f'>&nbsp;blue shrank&nbsp;</span>; "
                + "hover a frame for its figures.</p>\n<pre>" + escape(headline) + "</pre>\n"
                + String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' height='%.0f'>%n", WIDTH_PX, height)
                + svg + "</svg>\n</body></html>\n";
    }

    private static double shareA(DiffTree node, DiffTree root) {
        return root.samplesA == 0 ? 0 : (double) node.samplesA / root.samplesA;
    }

    private static double shareB(DiffTree node, DiffTree root) {
        return root.samplesB == 0 ? 0 : (double) node.samplesB / root.samplesB;
    }

    private static double maxDelta(DiffTree node, DiffTree root) {
        double max = node == root ? 0 : Math.abs(shareB(node, root) - shareA(node, root));
        for (DiffTree child : node.children.values()) {
            max = Math.max(max, maxDelta(child, root));
        }
        return max;
    }

    private static void draw(StringBuilder svg, DiffTree node, DiffTree root, double x, int level, int depth, double maxDelta, boolean diff) {
        double a = shareA(node, root);
        double b = shareB(node, root);
        double width = (a + b) / 2;
        if (width < MIN_WIDTH_SHARE) {
            return;
        }
        double px = width * WIDTH_PX;
        double y = (depth - level) * FRAME_PX;
        String tip = diff ? String.format(Locale.ROOT, "A %.2f%% (%d) -> B %.2f%% (%d): %+.2f pp", 100 * a, node.samplesA, 100 * b, node.samplesB, 100 * (b - a))
                : String.format(Locale.ROOT, "%.2f%% (%d samples)", 100 * a, node.samplesA);
        String fill = diff ? colour(b - a, maxDelta) : node.name.endsWith(CollapsedStacks.KERNEL_SUFFIX) ? "rgb(255,190,120)" : "rgb(255,230,140)";
        svg.append(String.format(Locale.ROOT, "<g><title>%s%n%s</title>"
                        + "<rect x='%.1f' y='%.0f' width='%.1f' height='%d' fill='%s' stroke='#fff' stroke-width='0.3'/>",
                escape(node.name), tip, x * WIDTH_PX, y, px, FRAME_PX - 1, fill));
        int fits = (int) ((px - 4) / CHAR_PX);
        if (fits >= 3) {
            String label = node.name.length() <= fits ? node.name : node.name.substring(0, fits - 2) + "..";
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.0f'>%s</text>", x * WIDTH_PX + 2, y + FRAME_PX - 4, escape(label)));
        }
        svg.append("</g>\n");
        double childX = x;
        for (DiffTree child : node.children.values()) {
            draw(svg, child, root, childX, level + 1, depth, maxDelta, diff);
            childX += (shareA(child, root) + shareB(child, root)) / 2;
        }
    }

    /** White for no change, deepening to red (grew) or blue (shrank) with the change relative to the largest one. */
    static String colour(double delta, double maxDelta) {
        double k = maxDelta == 0 ? 0 : Math.min(1, Math.abs(delta) / maxDelta);
        int fade = (int) Math.round(245 * (1 - Math.sqrt(k)));
        return delta > 0 ? String.format(Locale.ROOT, "rgb(255,%d,%d)", fade, fade)
                : delta < 0 ? String.format(Locale.ROOT, "rgb(%d,%d,255)", fade, Math.min(255, fade + 10))
                : "rgb(245,245,245)";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
    }
}
