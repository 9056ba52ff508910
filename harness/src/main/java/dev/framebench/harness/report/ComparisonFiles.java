package dev.framebench.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.util.AtomicFiles;
import dev.framebench.harness.util.Json;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a comparison of two builds writes: {@code comparison.md} (for a person, and the nightly job's summary),
 * {@code comparison.json} (every round's value, the statistic's parts, the commits), {@code comparison.csv},
 * {@code charts/compare.svg}, and head's own figures as Bencher Metric Format ({@link BencherJson}) and
 * github-action-benchmark JSON ({@link BenchmarkActionJson}); and the table printed at the end of the run.
 */
public final class ComparisonFiles {
    public static final String MARKDOWN = "comparison.md";
    public static final String JSON = "comparison.json";
    public static final String CSV = "comparison.csv";
    public static final String CHART = "charts/compare.svg";

    /**
     * One side of the comparison.
     *
     * @param ref    what the user named (a git ref, or the jar)
     * @param commit the full SHA it resolved to; null when not known (a jar from elsewhere)
     * @param dirty  the build includes uncommitted changes of the working tree
     */
    public record Build(String ref, String commit, String jar, boolean dirty) {
    }

    /**
     * A run of one build that failed: which, and where its log is (relative to the results folder).
     *
     * @param round the phase and round, {@code round-3} or {@code confirm-round-1}
     */
    public record Failure(String side, String round, String transport, String frame, String reason, String log) {
    }

    /** Everything the files say about how the comparison was made. */
    public record Setup(Build base, Build head, String profile, String profileSummary, int rounds, int confirmRounds, long seed,
                        double confidence, double threshold, JsonNode env, List<Failure> failures) {
    }

    private ComparisonFiles() {
    }

    public static void write(Path dir, Setup setup, List<Comparison.Rounds> benchmarks, List<Comparison.Row> rows, PrintStream warnings)
            throws IOException {
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown(setup, rows));
        AtomicFiles.writeString(dir.resolve(JSON), Json.pretty(json(setup, rows)));
        AtomicFiles.writeString(dir.resolve(CSV), csv(rows));
        var head = Comparison.headRun(benchmarks);
        BencherJson.write(dir, head);
        BenchmarkActionJson.write(dir, head);
        try {
            DotChart chart = chart(rows, "head / base per figure, 95% interval over " + setup.rounds() + " rounds");
            SvgCanvas svg = new SvgCanvas(chart.width(), chart.height());
            chart.draw(svg);
            AtomicFiles.write(dir.resolve(CHART), svg.bytes());
        } catch (IOException | RuntimeException | LinkageError | InternalError e) {
            // Java2D fails with errors, not exceptions, when a JDK lacks fonts or its native libraries.
            warnings.println("framebench: " + CHART + " not drawn (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); the comparison has its tables without it");
        }
    }

    /** One row per transport x frame, one lane per figure (black, a marker each), the line at 1: no change. */
    static DotChart chart(List<Comparison.Row> rows, String title) {
        DotChart chart = new DotChart(title, "head / base").reference(1, "1 = no change").logAxis();
        List<String> figures = rows.stream().map(r -> r.figure().key()).distinct().toList();
        ChartStyle.Marker[] markers = ChartStyle.Marker.values();
        for (Comparison.Row r : rows) {
            PairedComparison.Result c = r.result();
            int lane = figures.indexOf(r.figure().key());
            chart.dot(new DotChart.Dot(r.transport() + " " + r.frame(), lane, c.ratio(), c.low(), c.high(), Color.BLACK, markers[lane % markers.length]));
        }
        for (int i = 0; i < figures.size(); i++) {
            chart.key(figures.get(i), Color.BLACK, markers[i % markers.length]);
        }
        return chart.key("95% interval over rounds", Color.GRAY, null);
    }

    /** The table printed at the end of a comparison, one line per figure. */
    public static String table(List<Comparison.Row> rows, double threshold, double confidence) {
        StringBuilder t = new StringBuilder();
        String format = "%-16s %-11s %-19s %10s %10s %9s  %-19s %9s  %s%n";
        t.append(String.format(Locale.ROOT, format, "transport", "frame", "figure", "base", "head", "head/base",
                interval(confidence), "flags at", "verdict (threshold " + Comparison.plainPercent(threshold) + ")"));
        for (Comparison.Row r : rows) {
            PairedComparison.Result c = r.result();
            t.append(String.format(Locale.ROOT, format, r.transport(), r.frame(), r.figure().key(), value(Comparison.Row.centre(r.base())),
                    value(Comparison.Row.centre(r.head())), value(c.ratio()), range(c) + (c.wide() ? " wide" : ""), Comparison.percent(c.flagsAt()),
                    c.verdict().label() + method(c) + confirmationText(r)));
        }
        if (rows.stream().anyMatch(r -> r.result().wide())) {
            t.append("wide: interval wider than +-25% (beyond x or / 1.25): run more rounds to read this row\n");
        }
        return t.toString();
    }

    static String markdown(Setup s, List<Comparison.Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("# framebench comparison: `").append(s.head().ref()).append("` against `").append(s.base().ref()).append("`\n\n");
        md.append("- **base**: ").append(describe(s.base())).append('\n');
        md.append("- **head**: ").append(describe(s.head())).append('\n');
        md.append("- **host**: ").append(Markdown.hostLine(s.env())).append('\n');
        md.append("- **profile** `").append(s.profile()).append("` (").append(s.profileSummary()).append("); ").append(s.rounds())
                .append(" rounds, each benchmark once per build per round, in a shuffled order (seed ").append(s.seed()).append(")\n\n");
        md.append("Each row is one figure: **head/base** is exp of the mean over rounds of ln(head_r / base_r), and its ")
                .append(Comparison.plainPercent(s.confidence())).append(" interval is Student t over the rounds (n - 1 degrees of freedom), ")
                .append("exponentiated (Welch's, on the logs, where a round lacks one build). **flags at** is the smallest change in the worse ")
                .append("direction this run could have flagged: the interval, keeping its width, moved until it clears the threshold. ")
                .append("**REGRESSION** or **improvement** when the whole interval lies beyond ").append(Comparison.plainPercent(s.threshold()))
                .append(" of 1 in one direction; **unchanged** when it lies inside; **within noise** otherwise. ")
                .append(s.confirmRounds() > 0 ? "A benchmark with a figure flagged as a regression runs " + s.confirmRounds()
                        + " more rounds, compared on their own (shown after the verdict as *confirmation*): the regression stands only where they "
                        + "flag it again, and is **not confirmed** otherwise. "
                        : "No confirmation rounds ran (--confirm-rounds 0): every flag is reported as it fell. ")
                .append("base and head are each build's geometric mean over its rounds.\n\n");
        md.append(Markdown.header(List.of("transport", "frame", "figure", "base", "head", "head/base", interval(s.confidence()), "flags at", "verdict"),
                "lllrrrrrl"));
        for (Comparison.Row r : rows) {
            PairedComparison.Result c = r.result();
            String verdict = c.verdict().flagged() ? "**" + c.verdict().label() + "**" : c.verdict().label();
            md.append(Markdown.row(List.of("`" + r.transport() + "`", r.frame(), r.figure().key() + " " + r.figure().unit(),
                    value(Comparison.Row.centre(r.base())), value(Comparison.Row.centre(r.head())), value(c.ratio()),
                    (c.hasInterval() ? Markdown.number(c.low(), 3) + "\u2013" + Markdown.number(c.high(), 3) : "-")
                            + (c.wide() ? " " + Markdown.WIDE_MARK : ""),
                    Comparison.percent(c.flagsAt()), verdict + method(c) + confirmationText(r))));
        }
        md.append('\n');
        if (rows.stream().anyMatch(r -> r.result().wide())) {
            md.append(Markdown.WIDE_MARK).append(" interval wider than \u00b125% (beyond x or / 1.25): too noisy to read; run more rounds or a quieter machine.\n\n");
        }
        if (!s.failures().isEmpty()) {
            md.append("**Failed runs** (left out of their rounds):\n\n");
            for (Failure f : s.failures()) {
                md.append("- ").append(f.side()).append(" ").append(f.round().replace('-', ' ')).append(" `").append(f.transport()).append("` ")
                        .append(f.frame()).append(": ").append(f.reason()).append(" (`").append(f.log()).append("`)\n");
            }
            md.append('\n');
        }
        List<Comparison.Row> flagged = Comparison.flagged(rows);
        md.append(flagged.isEmpty() ? "**No regression** beyond " + Comparison.plainPercent(s.threshold()) + ".\n"
                : "**Regression** in " + flagged.size() + " figure(s): " + flagged.stream().map(Comparison.Row::name).collect(Collectors.joining(", ")) + ".\n");
        return md.toString();
    }

    static ObjectNode json(Setup s, List<Comparison.Row> rows) {
        ObjectNode root = Json.object();
        root.set("base", build(s.base()));
        root.set("head", build(s.head()));
        root.put("profile", s.profile());
        root.put("rounds", s.rounds());
        root.put("confirmRounds", s.confirmRounds());
        root.put("seed", s.seed());
        root.put("confidence", s.confidence());
        root.put("threshold", s.threshold());
        root.put("statistic", "paired: d_r = ln(head_r / base_r), mean and Student t interval over rounds (n - 1 df), exp back to a ratio;"
                + " Welch on the logs where a round lacks one build; a flagged benchmark runs confirmRounds more rounds, compared on"
                + " their own, and a regression stands only where they flag it again");
        ArrayNode out = root.putArray("rows");
        for (Comparison.Row r : rows) {
            PairedComparison.Result c = r.result();
            ObjectNode row = out.addObject();
            row.put("transport", r.transport());
            row.put("frame", r.frame());
            row.put("figure", r.figure().key());
            row.put("unit", r.figure().unit());
            row.put("higherIsBetter", r.figure().higherIsBetter());
            rounds(row.putArray("baseRounds"), r.base());
            rounds(row.putArray("headRounds"), r.head());
            number(row, "base", Comparison.Row.centre(r.base()));
            number(row, "head", Comparison.Row.centre(r.head()));
            number(row, "ratio", c.ratio());
            number(row, "low", c.low());
            number(row, "high", c.high());
            row.put("method", c.method().name().toLowerCase(Locale.ROOT));
            row.put("n", c.n());
            number(row, "degreesOfFreedom", c.degreesOfFreedom());
            number(row, "flagsAt", c.flagsAt());
            row.put("wide", c.wide());
            row.put("verdict", c.verdict().name().toLowerCase(Locale.ROOT));
            if (r.confirmation() != null) {
                PairedComparison.Result k = r.confirmation();
                ObjectNode confirmation = row.putObject("confirmation");
                number(confirmation, "ratio", k.ratio());
                number(confirmation, "low", k.low());
                number(confirmation, "high", k.high());
                confirmation.put("n", k.n());
                confirmation.put("verdict", k.verdict().name().toLowerCase(Locale.ROOT));
            }
        }
        ArrayNode regressions = root.putArray("regressions");
        Comparison.flagged(rows).forEach(r -> regressions.add(r.name()));
        ArrayNode failures = root.putArray("failures");
        for (Failure f : s.failures()) {
            failures.addObject().put("side", f.side()).put("round", f.round()).put("transport", f.transport()).put("frame", f.frame())
                    .put("reason", f.reason()).put("log", f.log());
        }
        return root;
    }

    static String csv(List<Comparison.Row> rows) {
        StringBuilder csv = new StringBuilder("transport,frame,figure,unit,higher_is_better,base,head,ratio,low,high,method,n,degrees_of_freedom,"
                + "flags_at,wide,verdict,base_rounds,head_rounds,confirmation_ratio,confirmation_low,confirmation_high,confirmation_verdict\n");
        for (Comparison.Row r : rows) {
            PairedComparison.Result c = r.result();
            csv.append(String.join(",", List.of(r.transport(), r.frame(), r.figure().key(), r.figure().unit(), Boolean.toString(r.figure().higherIsBetter()),
                    f(Comparison.Row.centre(r.base())), f(Comparison.Row.centre(r.head())), f(c.ratio()), f(c.low()), f(c.high()),
                    c.method().name().toLowerCase(Locale.ROOT), Integer.toString(c.n()), f(c.degreesOfFreedom()), f(c.flagsAt()),
                    Boolean.toString(c.wide()), c.verdict().name().toLowerCase(Locale.ROOT), joined(r.base()), joined(r.head()),
                    r.confirmation() == null ? "" : f(r.confirmation().ratio()), r.confirmation() == null ? "" : f(r.confirmation().low()),
                    r.confirmation() == null ? "" : f(r.confirmation().high()),
                    r.confirmation() == null ? "" : r.confirmation().verdict().name().toLowerCase(Locale.ROOT)))).append('\n');
        }
        return csv.toString();
    }

    private static ObjectNode build(Build b) {
        ObjectNode node = Json.object();
        node.put("ref", b.ref());
        if (b.commit() == null) {
            node.putNull("commit");
        } else {
            node.put("commit", b.commit());
        }
        node.put("jar", b.jar());
        node.put("dirty", b.dirty());
        return node;
    }

    private static String describe(Build b) {
        return "`" + b.ref() + "`" + (b.commit() == null ? " (commit unknown)" : " = `" + b.commit() + "`")
                + (b.dirty() ? " **with uncommitted changes** (tracked files of the working tree)" : "");
    }

    private static String interval(double confidence) {
        return Comparison.plainPercent(confidence) + " interval";
    }

    private static String method(PairedComparison.Result c) {
        return c.method() == PairedComparison.Method.WELCH ? " (unpaired, Welch)" : "";
    }

    /** "; confirmation 0.71 (0.69-0.73) REGRESSION over 3 rounds" after a verdict the confirmation rounds judged. */
    private static String confirmationText(Comparison.Row r) {
        PairedComparison.Result k = r.confirmation();
        if (k == null) {
            return "";
        }
        return "; confirmation " + value(k.ratio()) + " (" + range(k) + ") " + k.verdict().label() + " over " + k.n() + " rounds";
    }

    private static String range(PairedComparison.Result c) {
        return c.hasInterval() ? String.format(Locale.ROOT, "%.3f-%.3f", c.low(), c.high()) : "-";
    }

    private static String value(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
    }

    private static void rounds(ArrayNode array, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                array.add(v);
            } else {
                array.addNull();
            }
        }
    }

    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    private static String f(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static String joined(double[] values) {
        return Arrays.stream(values).mapToObj(ComparisonFiles::f).collect(Collectors.joining(";"));
    }
}
