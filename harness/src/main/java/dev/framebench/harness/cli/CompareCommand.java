package dev.framebench.harness.cli;

import dev.framebench.error.BadInputException;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.report.Comparison;
import dev.framebench.harness.report.ComparisonFiles;
import dev.framebench.harness.report.PairedComparison;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.run.EnvironmentProbe;
import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.run.Imdsv2Client;
import dev.framebench.harness.run.ProfileFlag;
import dev.framebench.harness.run.Results;
import dev.framebench.harness.run.ResultsFolder;
import dev.framebench.harness.run.RunProfile;
import dev.framebench.harness.util.Args;
import dev.framebench.harness.util.AtomicFiles;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.harness.util.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code framebench compare}: two builds of framebench, measured in one run on this machine with one
 * profile, in rounds: every round runs every benchmark once for each build, in an order shuffled afresh each
 * round, so both builds sample the same stretch of the host's drift and neither always runs second. Each
 * figure is then compared by a paired statistic over the rounds ({@link dev.framebench.harness.report.PairedComparison}), and a
 * figure flagged as a regression is judged again on confirmation rounds of its benchmark alone. {@link CompareRounds} runs
 * the rounds; this class reads the command line, plans, and writes and says the verdict.
 * scripts/compare.sh builds two git refs and calls this with their jars.
 */
final class CompareCommand {
    static final String HELP = """
            usage: framebench compare --base-jar A.jar --head-jar B.jar [flags]     (scripts/compare.sh BASE HEAD is this)

            Runs every transport x frame of the selection once per build per round, ROUNDS rounds, each round in a
            new shuffled order (the seed is printed), each run 'framebench bench' of one benchmark with one fork in
            a JVM of that build. Compares GB/s, cpu.total, cpu.send and cpu.recv s/GB per transport x frame by a
            paired statistic over rounds: d_r = ln(head_r / base_r), mean and Student t interval (n - 1 degrees
            of freedom), exp back to head/base; Welch's interval on the logs where a round lacks one build.
            "flags at" is the smallest change in the worse direction this run could have flagged. A figure is
            flagged when its whole interval lies beyond the threshold in the worse direction; the benchmarks
            flagged then run CONFIRM more rounds, compared on their own, and a figure is a REGRESSION only when
            those flag it again ("not confirmed" otherwise): a run compares dozens of figures, and one of them
            falls outside its interval by chance now and then.
            Writes DIR/comparison.md, .json, .csv, charts/compare.svg, env.json, profile.properties, both builds'
            raw runs under raw/<base|head>/round-<k>/ (confirm-round-<k>/ for a confirmation), and head's figures as Bencher Metric Format (bmf.json) and
            github-action-benchmark JSON. The folder appears only when the comparison is complete.

            flags:
              --base-jar PATH, --head-jar PATH   the two builds' benchmarks.jar (required)
              --base-home DIR, --head-home DIR   the checkout each was built from (default: found beside the jar)
              --base-ref REF, --head-ref REF     what to call them in the tables (default: the jar paths)
              --base-commit SHA, --head-commit SHA   the full commit each was built from, for the record
              --head-dirty          head was built with uncommitted changes of the working tree (recorded)
              --profile NAME        profiles/NAME.properties or a path to one (default: quick); every build runs it
              --transport A,B,...   transports, or 'all' (default: the profile's)
              --frame F,...         frame presets (default: the profile's)
              --consume MODE        none | read | verify
              --options 'K=V;K=V'   transport options; each run gets the keys its transport reads
              --rounds N            rounds, 2..100 (default: the profile's forks, at least 2)
              --confirm-rounds N    rounds that re-run each flagged benchmark, 0..100; 0 reports the first
                                    flags as regressions unconfirmed (default: as many as --rounds)
              --threshold P         percent (default 3%): changes inside it are no verdict
              --confidence P        two-sided confidence of the intervals, percent (default 95%)
              --seed N              the shuffle's seed (default: the clock)
              --out DIR             results folder, must not exist yet (default: runs/<UTC time>_compare-<profile>)
              --help                this text

            Exit status: 0 no regression; 1 a regression (every one named on the last line) or the run failed;
            2 bad input (one line, no results folder).
            """;

    /** The bench flags a comparison takes: the selection; forks, order and iterations are the profile's. */
    private static final List<ProfileFlag> SELECTION = ProfileFlag.BENCH.stream()
            .filter(f -> Set.of("--transport", "--frame", "--consume", "--options").contains(f.flag())).toList();
    private static final Set<String> WITH_VALUE = Stream.concat(Stream.of("--base-jar", "--head-jar", "--base-home", "--head-home",
            "--base-ref", "--head-ref", "--base-commit", "--head-commit", "--profile", "--rounds", "--confirm-rounds", "--threshold", "--confidence", "--seed",
            "--out"), ProfileFlag.withValue(SELECTION).stream()).collect(Collectors.toSet());
    private static final Set<String> SWITCHES = Set.of("--head-dirty", "--help");

    private CompareCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("framebench compare", argv, WITH_VALUE, SWITCHES);
        if (args.has("--help")) {
            out.print(HELP);
            return ExitStatus.OK;
        }
        String baseJar = args.require("--base-jar");
        String headJar = args.require("--head-jar");
        RunProfile profile = RunProfile.load(args.get("--profile", "quick"), FramebenchHome.profiles()).with(args, SELECTION);
        // Each build's own run would refuse a bad value, but only once the runs before it had taken their time.
        profile.requireValidOptions();
        int rounds = (int) args.getLong("--rounds", Math.max(2, profile.forks()), 2, 100);
        int confirmRounds = (int) args.getLong("--confirm-rounds", rounds, 0, 100);
        if (confirmRounds == 1) {
            throw new BadInputException("compare: --confirm-rounds 1 gives no interval; give 0 (no confirmation) or 2..100");
        }
        double threshold = percentage("--threshold", args.get("--threshold", "3%"), 0, 100);
        double confidence = percentage("--confidence", args.get("--confidence", "95%"), 50, 99.9999);
        long seed = args.getLong("--seed", System.nanoTime(), Long.MIN_VALUE, Long.MAX_VALUE);
        Path outDir = ResultsFolder.resolve(args.get("--out", null), "compare-" + profile.name());
        BuildUnderTest base = BuildUnderTest.inspect("base", Path.of(baseJar), home(args, "--base-home"));
        BuildUnderTest head = BuildUnderTest.inspect("head", Path.of(headJar), home(args, "--head-home"));
        List<Comparison.Rounds> benchmarks = plan(profile, base, head, rounds, out);
        ComparisonFiles.Build baseRecord = new ComparisonFiles.Build(args.get("--base-ref", base.jar().toString()), args.get("--base-commit", null),
                base.jar().toString(), false);
        ComparisonFiles.Build headRecord = new ComparisonFiles.Build(args.get("--head-ref", head.jar().toString()), args.get("--head-commit", null),
                head.jar().toString(), args.has("--head-dirty"));

        try (ResultsFolder folder = ResultsFolder.open(outDir)) {
            Path partial = folder.partial();
            Thread cleanup = new Thread(() -> {
                BuildUnderTest.endRunning();
                Results.deleteTree(partial);
            }, "framebench-compare-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                return compare(profile, base, head, baseRecord, headRecord, benchmarks, rounds, confirmRounds, seed, threshold, confidence, folder,
                        out, err);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // A signal ended the comparison: the hook is running and cleans up.
                }
            }
        } catch (IOException e) {
            err.println("framebench: cannot write the comparison to " + outDir + ": " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("framebench: compare interrupted; no results written");
            return ExitStatus.FAILED;
        }
    }

    private static int compare(RunProfile profile, BuildUnderTest base, BuildUnderTest head, ComparisonFiles.Build baseRecord,
                               ComparisonFiles.Build headRecord, List<Comparison.Rounds> benchmarks, int rounds, int confirmRounds, long seed,
                               double threshold, double confidence, ResultsFolder folder, PrintStream terminal, PrintStream err)
            throws IOException, InterruptedException {
        Path partial = folder.partial();
        Path profileFile = partial.resolve("profile.properties");
        AtomicFiles.writeString(profileFile, profileFile(profile));
        var env = new EnvironmentProbe(Path.of("/"), FramebenchHome.root(), Imdsv2Client::new)
                .record(profile.name(), profile.values(), profile.timeoutSeconds());
        AtomicFiles.writeString(partial.resolve("env.json"), Json.pretty(env));

        try (PrintStream log = new PrintStream(Files.newOutputStream(partial.resolve("compare.log")), true, StandardCharsets.UTF_8)) {
            CompareRounds runs = new CompareRounds(base, head, profile, profileFile, partial, seed, terminal, log);
            int planned = benchmarks.size() * 2 * rounds;
            runs.say(String.format(Locale.ROOT, "[framebench] compare %s (%s) against %s (%s): profile %s, %d benchmarks x 2 builds x %d rounds = %d runs,"
                            + " each round shuffled (seed %d), %d x %d s warm-up, %d x %d s measurement each; about %s",
                    headRecord.ref(), shortCommit(headRecord), baseRecord.ref(), shortCommit(baseRecord), profile.name(), benchmarks.size(), rounds,
                    planned, seed, profile.warmupIterations(), profile.warmupSeconds(), profile.iterations(), profile.iterationSeconds(),
                    runs.estimate(planned)));
            runs.run("round", benchmarks, rounds);
            List<Comparison.Row> rows = Comparison.compare(benchmarks, confidence, threshold);
            List<Comparison.Rounds> suspects = Comparison.suspects(benchmarks, rows);
            if (confirmRounds > 0 && !suspects.isEmpty()) {
                List<Comparison.Rounds> again = suspects.stream().map(b -> new Comparison.Rounds(b.transport(), b.frame(),
                        new BenchmarkRow[confirmRounds], new BenchmarkRow[confirmRounds])).toList();
                runs.say(String.format(Locale.ROOT, "[framebench] flagged: %s; confirming with %d new rounds of %s (%d runs), compared on their own",
                        Comparison.flagged(rows).stream().map(Comparison.Row::name).collect(Collectors.joining(", ")), confirmRounds,
                        again.stream().map(b -> b.transport() + " " + b.frame()).collect(Collectors.joining(", ")), again.size() * 2 * confirmRounds));
                runs.run("confirm-round", again, confirmRounds);
                rows = Comparison.confirm(rows, again, confidence, threshold);
            }
            List<ComparisonFiles.Failure> failures = runs.failures();
            if (!failures.isEmpty() && rows.stream().allMatch(r -> Double.isNaN(r.result().ratio()) && !r.result().verdict().flagged())) {
                Path kept = folder.target().resolveSibling(folder.target().getFileName() + ".failed.log");
                Files.copy(partial.resolve(failures.getFirst().log()), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                err.println("framebench: compare failed, no results written: no benchmark ran in both builds (first failure: "
                        + failures.getFirst().side() + " " + failures.getFirst().transport() + ": " + failures.getFirst().reason() + "; log: " + kept + ")");
                return ExitStatus.FAILED;
            }
            ComparisonFiles.Setup setup = new ComparisonFiles.Setup(baseRecord, headRecord, profile.name(), summary(profile), rounds, confirmRounds,
                    seed, confidence, threshold, env, failures);
            ComparisonFiles.write(partial, setup, benchmarks, rows, err);
            String table = ComparisonFiles.table(rows, threshold, confidence);
            log.print(table);
            folder.commit();
            terminal.println();
            terminal.print(table);
            terminal.println();
            terminal.println("[framebench] results: " + folder.target().resolve(ComparisonFiles.MARKDOWN));
            List<Comparison.Row> flagged = Comparison.flagged(rows);
            if (flagged.isEmpty()) {
                long unconfirmed = rows.stream().filter(r -> r.result().verdict() == PairedComparison.Verdict.NOT_CONFIRMED).count();
                terminal.printf(Locale.ROOT, "[framebench] no regression beyond %s (paired over %d rounds, %s intervals%s)%n",
                        Comparison.plainPercent(threshold), rounds, Comparison.plainPercent(confidence),
                        unconfirmed == 0 ? "" : "; " + unconfirmed + " flag(s) not confirmed by " + confirmRounds + " more rounds");
                return ExitStatus.OK;
            }
            terminal.printf(Locale.ROOT, "[framebench] REGRESSION in %d figure(s): %s%n", flagged.size(),
                    flagged.stream().map(Comparison.Row::name).collect(Collectors.joining(", ")));
            return ExitStatus.FAILED;
        }
    }

    /**
     * The benchmarks both builds can run: the profile's transports x frames that each build knows. A
     * transport only one build knows is left out with a note on {@code notes}; none in common is bad input.
     */
    static List<Comparison.Rounds> plan(RunProfile profile, BuildUnderTest base, BuildUnderTest head, int rounds, PrintStream notes) {
        List<Comparison.Rounds> benchmarks = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<String> frames = profile.frames().stream().map(FramePreset::presetName).toList();
        for (String transport : profile.transports()) {
            for (BuildUnderTest build : List.of(base, head)) {
                if (!build.transports().contains(transport)) {
                    left.add("[framebench] note: the " + build.side() + " build has no transport " + transport + "; not compared");
                }
            }
            if (!base.transports().contains(transport) || !head.transports().contains(transport)) {
                continue;
            }
            for (String frame : frames) {
                if (base.frames().contains(frame) && head.frames().contains(frame)) {
                    benchmarks.add(new Comparison.Rounds(transport, frame, new BenchmarkRow[rounds], new BenchmarkRow[rounds]));
                }
            }
        }
        if (benchmarks.isEmpty()) {
            throw new BadInputException("compare: no rows in common: the selection is " + String.join(",", profile.transports()) + " x "
                    + String.join(",", frames) + "; base " + base.jar() + " knows " + String.join(",", base.transports()) + " x "
                    + String.join(",", base.frames()) + ", head " + head.jar() + " knows " + String.join(",", head.transports()) + " x "
                    + String.join(",", head.frames()));
        }
        left.forEach(notes::println);
        return benchmarks;
    }

    /**
     * The profile both builds run, as a file: the resolved values of the keys every build reads, one fork, no
     * baseline. Transports and frames come from each run's flags; {@code all} keeps the file valid in a build
     * that lacks a transport of the selection.
     */
    static String profileFile(RunProfile p) {
        return "# The profile framebench compare ran both builds with: " + p.name() + ", with the command line's flags.\n"
                + "transports=all\n"
                + "frames=" + p.frames().stream().map(FramePreset::presetName).collect(Collectors.joining(",")) + "\n"
                + "consume=" + p.consume().modeName() + "\n"
                + "options=\n"
                + "forks=1\n"
                + "warmupIterations=" + p.warmupIterations() + "\n"
                + "warmupSeconds=" + p.warmupSeconds() + "\n"
                + "iterations=" + p.iterations() + "\n"
                + "iterationSeconds=" + p.iterationSeconds() + "\n"
                + "baseline=false\n"
                + "timeoutSeconds=" + p.timeoutSeconds() + "\n";
    }

    private static String summary(RunProfile p) {
        return String.format(Locale.ROOT, "consume=%s%s, %d x %d s warm-up, %d x %d s measurement per run", p.consume().modeName(),
                p.optionsText().isEmpty() ? "" : ", options=" + p.optionsText(), p.warmupIterations(), p.warmupSeconds(), p.iterations(),
                p.iterationSeconds());
    }

    private static Path home(Args args, String flag) {
        return args.has(flag) ? Path.of(args.get(flag, "")) : null;
    }

    private static String shortCommit(ComparisonFiles.Build b) {
        return b.commit() == null ? "commit unknown" : b.commit().substring(0, Math.min(12, b.commit().length())) + (b.dirty() ? " + uncommitted changes" : "");
    }

    /** "3%", "3", "95%": a percentage strictly between min and max, as a fraction. */
    static double percentage(String flag, String text, double min, double max) {
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
        try {
            double percent = Double.parseDouble(number);
            if (percent > min && percent < max) {
                return percent / 100;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new BadInputException("compare: bad " + flag + " '" + text + "'; allowed: a percentage above " + fmt(min) + " and below " + fmt(max)
                + ", e.g. " + (flag.equals("--confidence") ? "95%" : "3%"));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
