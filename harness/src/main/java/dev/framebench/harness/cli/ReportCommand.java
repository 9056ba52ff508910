package dev.framebench.harness.cli;

import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.report.PacedReport;
import dev.framebench.harness.report.ResultsIndex;
import dev.framebench.harness.report.RunCharts;
import dev.framebench.harness.report.RunReadme;
import dev.framebench.harness.results.EnvFile;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.results.PacedResults;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.SummaryFiles;
import dev.framebench.harness.util.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.framebench.harness.util.Args;
import dev.framebench.harness.run.InstancePrices;
import dev.framebench.harness.run.RunProfile;
import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code framebench report DIR}: turns a results folder's jmh.json and env.json into summary.json,
 * summary.csv, charts/*.svg and README.md; and {@code framebench index RESULTS_DIR}: the index of runs.
 * Either can be run again at any time: it rewrites only what it derives.
 */
public final class ReportCommand {
    public static final String HELP = """
            usage: framebench report DIR [--name NAME] [--usd-per-vcpu-hour X] [--png PNG_DIR]
                   framebench index [RESULTS_DIR]

            report: reads DIR/jmh.json (and DIR/env.json, written by 'framebench env') and writes DIR/summary.json,
            DIR/summary.csv, DIR/charts/*.svg and DIR/README.md (host, headline tables, charts, cost table, flame
            graphs and hot frames when DIR/flames/ exists). When DIR is in the checkout's results/ folder, that
            folder's README.md index is regenerated too.
              --name NAME             the run's name in its README (default: DIR's folder name)
              --usd-per-vcpu-hour X   price the cost tables at X instead of the profile's usdPerVcpuHour
              --png PNG_DIR           also draw every chart as PNG into PNG_DIR, to look at before publishing
                                      (the SVGs in DIR/charts are the ones published; keep PNG_DIR outside results/)

            index: regenerates RESULTS_DIR/README.md (default: the checkout's results/), newest run first; with runs of
            two or more EC2 instance types (env.json), a table of the newest run of each type side by side, each
            priced from the checkout's profiles/instance-prices.csv.
            """;

    private ReportCommand() {
    }

    public static int report(String[] argv, PrintStream out, PrintStream err, Path checkout) {
        if (argv.length == 0 || argv[0].equals("--help")) {
            (argv.length == 0 ? err : out).print(HELP);
            return argv.length == 0 ? 2 : 0;
        }
        Path dir = Path.of(argv[0]).toAbsolutePath().normalize();
        Args args = Args.parse("framebench report", java.util.Arrays.copyOfRange(argv, 1, argv.length), Set.of("--usd-per-vcpu-hour", "--name", "--png"),
                Set.of());
        Path jmh = dir.resolve("jmh.json");
        if (!Files.isRegularFile(jmh)) {
            throw new BadInputException("no results in " + dir + " (no jmh.json); give a folder scripts/bench-all.sh or scripts/bench.sh wrote");
        }
        RunResults results = JmhJson.read(jmh);
        if (results.rows().isEmpty()) {
            throw new BadInputException(jmh + " has no FrameThroughputBenchmark results; nothing to report");
        }
        JsonNode env = EnvFile.read(dir);
        CostModel cost = args.has("--usd-per-vcpu-hour") ? new CostModel(EnvFile.parsePrice(args.get("--usd-per-vcpu-hour", ""))) : EnvFile.costOf(env);
        Path png = args.has("--png") ? Path.of(args.get("--png", "")).toAbsolutePath().normalize() : null;
        try {
            SummaryFiles.write(dir, results, cost);
            List<RunCharts.ChartFile> charts = RunCharts.write(dir.resolve("charts"), results, cost, err, png);
            List<PacedResults.PacedRow> paced = PacedReport.rows(dir, err);
            String pacedSection = PacedReport.section(dir, paced, PacedReport.charts(dir.resolve("charts"), paced, err, png));
            AtomicFiles.writeString(dir.resolve("README.md"), RunReadme.render(args.get("--name", dir.getFileName().toString()), env, results, cost, charts, pacedSection, dir));
            Path resultsDir = checkout.resolve("results").toAbsolutePath().normalize();
            // A folder still being written (scripts/bench-all.sh's .NAME.partial-PID) joins the index once renamed.
            if (dir.getParent().equals(resultsDir) && !dir.getFileName().toString().startsWith(".")) {
                ResultsIndex.write(resultsDir, InstancePrices.load(checkout.resolve("profiles")));
            }
        } catch (IOException e) {
            err.println("framebench: cannot write the report into " + dir + ": " + e.getMessage());
            return 1;
        }
        out.println("[framebench] report: " + dir.resolve("README.md"));
        if (png != null) {
            out.println("[framebench] PNGs to look at: " + png);
        }
        return 0;
    }

    public static int index(String[] argv, PrintStream out, PrintStream err, Path checkout) {
        if (argv.length > 1 || (argv.length == 1 && argv[0].startsWith("--"))) {
            out.print(HELP);
            return argv.length == 1 && argv[0].equals("--help") ? 0 : 2;
        }
        Path resultsDir = argv.length == 1 ? Path.of(argv[0]) : checkout.resolve("results");
        try {
            out.println("[framebench] index: " + ResultsIndex.write(resultsDir.toAbsolutePath().normalize(),
                    InstancePrices.load(checkout.resolve("profiles"))));
            return 0;
        } catch (IOException e) {
            err.println("framebench: cannot write the index of " + resultsDir + ": " + e.getMessage());
            return 1;
        }
    }
}
