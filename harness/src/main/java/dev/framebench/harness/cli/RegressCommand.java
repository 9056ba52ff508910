package dev.framebench.harness.cli;

import dev.framebench.harness.report.BenchmarkActionJson;
import dev.framebench.harness.report.MachineMismatch;
import dev.framebench.harness.report.Regression;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.SummaryFiles;
import dev.framebench.harness.util.Args;
import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code framebench regress BASELINE_DIR CURRENT_DIR}: exit 1 when a transport got slower or costlier
 * beyond the threshold and beyond noise (see {@link Regression}), 0 otherwise, 2 when the input cannot be
 * compared. Prints one row per transport x frame x figure, after a one-line note when the runs come from
 * different machines ({@link MachineMismatch}).
 */
public final class RegressCommand {
    public static final String HELP = """
            usage: scripts/regress.sh BASELINE_DIR CURRENT_DIR [--threshold 10%] [--bench-json DIR]

            Compares GB/s and cpu.total s/GB per transport x frame of two results folders (summary.json, else
            jmh.json). Each figure is divided by inproc-copy's at the same frame in its own run, so a uniformly
            slower machine is no regression. A row is flagged only when its change passes the threshold in the
            worse direction and the two runs' confidence intervals (each JMH's 99.9%, widened by its ruler's in
            quadrature) do not overlap. "flags at" is the smallest
            change in the worse direction that this pair of runs can flag, given both error bars and the
            threshold: a regression smaller than it goes unseen (narrow the intervals with more forks).
            A note before the table says when the two env.json name different CPUs, core counts, EC2 instance
            types or JDKs: the ruler does not cancel such a change; it never changes the exit status.
            Exit status: 0 no regression, 1 regression (the rows are named), 2 unusable input.
              --threshold P     percent (default 10%)
              --bench-json DIR  where to write the current run's figures as github-action-benchmark
                                customBiggerIsBetter / customSmallerIsBetter JSON (default: CURRENT_DIR)
            """;

    private RegressCommand() {
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length > 0 && argv[0].equals("--help")) {
            out.print(HELP);
            return 0;
        }
        if (argv.length < 2 || argv[0].startsWith("--") || argv[1].startsWith("--")) {
            throw new BadInputException("regress needs BASELINE_DIR CURRENT_DIR; see scripts/regress.sh --help");
        }
        Path baselineDir = Path.of(argv[0]);
        Path currentDir = Path.of(argv[1]);
        Args args = Args.parse("framebench regress", Arrays.copyOfRange(argv, 2, argv.length), Set.of("--threshold", "--bench-json"), Set.of());
        double threshold = threshold(args.get("--threshold", "10%"));
        RunResults baseline = load(baselineDir);
        RunResults current = load(currentDir);
        List<Regression.Change> changes = Regression.compare(baseline, current, threshold);
        if (changes.isEmpty()) {
            throw new BadInputException("no common rows to compare: " + baselineDir + " and " + currentDir
                    + " share no transport x frame that has inproc-copy (the ruler) at the same frame in both");
        }
        List<String> missing = Regression.missing(baseline, current);
        if (!missing.isEmpty()) {
            throw new BadInputException("cannot compare: " + currentDir + " lacks what " + baselineDir + " has: " + String.join(", ", missing)
                    + "; a transport that failed or vanished is not a pass: rerun it, or compare against a baseline without it");
        }
        try {
            BenchmarkActionJson.write(Path.of(args.get("--bench-json", currentDir.toString())), current);
        } catch (IOException e) {
            err.println("framebench: cannot write github-action-benchmark JSON: " + e.getMessage());
            return 2;
        }
        MachineMismatch.note(baselineDir, currentDir).ifPresent(out::println);
        out.print(table(changes, threshold));
        List<Regression.Change> regressions = changes.stream().filter(c -> c.verdict() == Regression.Verdict.REGRESSION).toList();
        if (regressions.isEmpty()) {
            out.printf(Locale.ROOT, "[framebench] no regression beyond %.0f%% (figures normalised by inproc-copy of each run)%n", threshold * 100);
            return 0;
        }
        out.printf(Locale.ROOT, "[framebench] REGRESSION in %d figure(s): %s%n", regressions.size(),
                String.join(", ", regressions.stream().map(c -> c.transport() + " " + c.frame() + " " + c.figure().jsonName).toList()));
        return 1;
    }

    static String table(List<Regression.Change> changes, double threshold) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%-16s %-11s %-17s %12s %12s %8s %9s  %-9s %s%n", "transport", "frame", "figure",
                "baseline", "current", "change", "flags at", "direction", "verdict (threshold " + Math.round(threshold * 100) + "%)"));
        t.append(String.format(Locale.ROOT, "%-16s %-11s %-17s %12s %12s%n", "", "", "", "x ruler", "x ruler"));
        for (Regression.Change c : changes) {
            String direction = Math.abs(c.percent()) < 0.05 ? "=" : c.worse() ? "worse" : "better";
            t.append(String.format(Locale.ROOT, "%-16s %-11s %-17s %12.4f %12.4f %+7.1f%% %9s  %-9s %s%n", c.transport(), c.frame(),
                    c.figure().jsonName, c.baseline().score(), c.current().score(), c.percent(), flagsAt(c.flaggedAtPercent()), direction,
                    c.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        }
        return t.toString();
    }

    /** The flags-at cell: "-12.3%", or "never" where no change could be flagged (a zero lower bound). */
    public static String flagsAt(double percent) {
        return Double.isFinite(percent) ? String.format(Locale.ROOT, "%+.1f%%", percent) : "never";
    }

    static double threshold(String text) {
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
        try {
            double percent = Double.parseDouble(number);
            if (percent > 0 && percent < 1000) {
                return percent / 100;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new BadInputException("bad --threshold '" + text + "'; allowed: a percentage above 0, e.g. 10%");
    }

    /** A results folder's rows: summary.json where the report wrote one, else JMH's own jmh.json. */
    public static RunResults load(Path dir) {
        Path summary = dir.resolve(SummaryFiles.JSON);
        Path jmh = dir.resolve("jmh.json");
        if (Files.isRegularFile(summary)) {
            return SummaryFiles.read(summary);
        }
        if (Files.isRegularFile(jmh)) {
            return JmhJson.read(jmh);
        }
        throw new BadInputException("no results in " + dir + " (neither summary.json nor jmh.json); give a results folder");
    }
}
