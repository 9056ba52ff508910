package dev.framebench.harness.report;

import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/** The Markdown both READMEs share: number formats, the host line and the headline table. */
public final class Markdown {
    private Markdown() {
    }

    static String number(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%,." + decimals + "f", value) : "-";
    }

    /** The mark of a figure whose interval is wider than x or / (1 + {@link Estimate#WIDE}). */
    static final String WIDE_MARK = "\u2020";

    /**
     * A figure with its interval: {@code 3.591 (2.103–6.135)}, marked {@link #WIDE_MARK} when the interval is
     * wider than x or / 1.25; the value alone when it has none (one fork).
     */
    static String withInterval(Estimate e, int decimals) {
        if (!e.present()) {
            return "-";
        }
        String value = number(e.score(), decimals);
        if (!e.hasInterval()) {
            return value;
        }
        return value + " (" + number(e.low(), decimals) + "\u2013" + number(e.high(), decimals) + ")" + (e.wide() ? " " + WIDE_MARK : "");
    }

    /** The x inproc-copy cell: the ratio with its interval, or "1 (ruler)" on the ruler's own row. */
    static String ratioCell(BenchmarkRow r) {
        return r.transport().equals(BenchmarkRow.RULER) && r.gbpsOverRuler().present() ? "1 (ruler)" : withInterval(r.gbpsOverRuler(), 2);
    }

    /**
     * The lines under a table of figures from {@code estimates}: what the intervals are, what the mark means,
     * and "1 fork, no interval" when the figures came from one fork.
     */
    static String intervalLegend(List<Estimate> estimates) {
        StringBuilder legend = new StringBuilder();
        if (estimates.stream().anyMatch(Estimate::hasInterval)) {
            legend.append("In brackets: the 95% interval over forks (Student t of the fork means' logarithms, n - 1 degrees of freedom); ")
                    .append("the value is their geometric mean.");
            if (estimates.stream().anyMatch(Estimate::wide)) {
                legend.append(" ").append(WIDE_MARK).append(" interval wider than \u00b125% (beyond x or / 1.25): too noisy to rank on; ")
                        .append("run more forks or use a quieter machine.");
            }
            legend.append("\n\n");
        }
        if (estimates.stream().anyMatch(e -> e.present() && e.forks() == 1)) {
            legend.append("1 fork, no interval: one fork cannot show how much the next run would differ; run at least 3 forks to publish.\n\n");
        }
        return legend.toString();
    }

    static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    static String header(List<String> titles, String alignment) {
        StringBuilder t = new StringBuilder(row(titles)).append('|');
        for (int i = 0; i < titles.size(); i++) {
            t.append(alignment.charAt(Math.min(i, alignment.length() - 1)) == 'l' ? "---|" : "---:|");
        }
        return t.append('\n').toString();
    }

    /** One line saying what machine and software a run measured, from its env.json (missing fields show as unknown). */
    static String hostLine(JsonNode env) {
        if (env == null || env.isMissingNode()) {
            return "host unknown (no env.json)";
        }
        StringBuilder line = new StringBuilder();
        JsonNode ec2 = env.path("ec2");
        if (!ec2.path("instanceType").asText("").isEmpty()) {
            line.append("EC2 `").append(ec2.path("instanceType").asText()).append("` in ").append(ec2.path("region").asText("unknown region")).append(", ");
        } else {
            line.append("`").append(env.path("hostname").asText("unknown host")).append("`, ");
        }
        line.append(env.path("cpu").path("model").asText("unknown CPU"))
                .append(", ").append(env.path("cpu").path("logicalCores").asInt()).append(" logical cores, ")
                .append(number(env.path("memoryMB").asDouble() / 1000, 1)).append(" GB memory; ")
                .append(env.path("distribution").asText("unknown distribution")).append(", Linux ").append(env.path("kernel").asText("?"))
                .append("; JDK ").append(env.path("jdk").path("version").asText("?")).append(" (").append(env.path("jdk").path("vendor").asText("?")).append(")");
        JsonNode ends = env.path("seedEnds");
        if (ends.isObject()) {
            ends.properties().forEach(end -> line.append("; ").append(end.getKey()).append(": ").append(end.getValue().asText()));
        }
        // Placement moves a ring's figures: a run says where its JVMs ran (runs recorded before --pin existed say nothing).
        JsonNode pinning = env.path("pinning");
        if (pinning.isObject()) {
            line.append("; CPU pinning: ").append(pinning.path("summary").asText("unknown"));
        }
        return line.toString();
    }

    /** Commit, profile and when, for a run's header. */
    static String provenance(JsonNode env) {
        if (env == null || env.isMissingNode()) {
            return "";
        }
        JsonNode fb = env.path("framebench");
        String commit = fb.path("commit").asText("unknown");
        String dirty = fb.path("dirty").isBoolean() ? (fb.path("dirty").asBoolean() ? " with uncommitted changes" : "") : " (tree state unknown)";
        JsonNode p = env.path("profile");
        return String.format(Locale.ROOT, "framebench `%s`%s; profile `%s` (%s fork(s)%s, %s x %s s warm-up, %s x %s s measurement, consume=%s); recorded %s",
                commit.length() > 12 ? commit.substring(0, 12) : commit, dirty, p.path("name").asText("?"), p.path("forks").asText("?"),
                p.path("order").asText("grouped").equals("interleaved") ? " interleaved" : "",
                p.path("warmupIterations").asText("?"), p.path("warmupSeconds").asText("?"), p.path("iterations").asText("?"),
                p.path("iterationSeconds").asText("?"), p.path("consume").asText("?"), env.path("recordedUtc").asText("?"));
    }

    /** The frame the index shows a run by: 1080p I420, the case every profile runs, else the run's first. */
    static final String HEADLINE_FRAME = "1080p-i420";

    /**
     * The short table of a run the index shows: GB/s, CPU, ratio to the ruler and the fleet cost, at
     * {@link #HEADLINE_FRAME} (a full run's every preset stays in its own README), each figure with its
     * reach as {@code \u00b1p%} and the forks it came from.
     */
    static String headline(RunResults results, CostModel cost) {
        String frame = headlineFrame(results);
        StringBuilder t = new StringBuilder(header(List.of("transport", "frame", "forks", "GB/s", "cpu.total s/GB", "x inproc-copy",
                "$/year at 1 TB/s"), "llrrrrr"));
        List<BenchmarkRow> rows = results.rowsOf(frame);
        for (BenchmarkRow r : rows) {
            t.append(row(List.of("`" + r.label() + "`", r.frame(), r.gbps().forks() > 0 ? Integer.toString(r.gbps().forks()) : "?",
                    withSpread(r.gbps(), 3), withSpread(r.cpuTotalSPerGb(), 4),
                    r.transport().equals(BenchmarkRow.RULER) && r.gbpsOverRuler().present() ? "1 (ruler)" : withSpread(r.gbpsOverRuler(), 2),
                    withSpread(r.cpuTotalSPerGb().times(cost.usdPerYearForFleet(1)), 0, "$"))));
        }
        List<Estimate> shown = rows.stream().flatMap(r -> java.util.stream.Stream.of(r.gbps(), r.cpuTotalSPerGb(), r.gbpsOverRuler())).toList();
        StringBuilder legend = new StringBuilder();
        if (shown.stream().anyMatch(Estimate::hasInterval)) {
            legend.append("\u00b1p%: the 95% interval over forks, taken in log space: from value / (1 + p) to value x (1 + p); ")
                    .append("the value is the forks' geometric mean.");
            if (shown.stream().anyMatch(Estimate::wide)) {
                legend.append(" ").append(WIDE_MARK).append(" beyond \u00b125%: too noisy to rank on.");
            }
            legend.append("\n\n");
        }
        if (shown.stream().anyMatch(e -> e.present() && e.forks() == 1)) {
            legend.append("1 fork, no interval: one fork cannot show how much the next run would differ; run at least 3 forks to publish.\n\n");
        }
        return t.append(legend.isEmpty() ? "" : "\n" + legend.toString().stripTrailing() + "\n").toString();
    }

    /** The frame the index shows a run by: {@link #HEADLINE_FRAME} when it ran, else the run's first. */
    static String headlineFrame(RunResults results) {
        return results.frames().contains(HEADLINE_FRAME) || results.frames().isEmpty() ? HEADLINE_FRAME : results.frames().getFirst();
    }

    static String withSpread(Estimate e, int decimals) {
        return withSpread(e, decimals, "");
    }

    /** {@code 3.591 \u00b112%}: the value and its interval's reach in log space; the value alone without an interval (one fork). */
    static String withSpread(Estimate e, int decimals, String prefix) {
        if (!e.present()) {
            return "-";
        }
        String value = prefix + number(e.score(), decimals);
        if (!e.hasInterval()) {
            return value;
        }
        return value + " \u00b1" + number(100 * e.spread(), e.spread() < 0.1 ? 1 : 0) + "%" + (e.wide() ? " " + WIDE_MARK : "");
    }
}
