package dev.framebench.harness.cli;

import dev.framebench.error.BadInputException;
import dev.framebench.harness.report.Comparison;
import dev.framebench.harness.report.ComparisonFiles;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.run.RunProfile;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The runs of a comparison ({@link CompareCommand}), one at a time on this machine: in every round each benchmark
 * once for each build, in an order shuffled afresh, each run a child {@code framebench bench} of one benchmark and
 * one fork in a JVM of its build ({@link BuildUnderTest}), its raw results under {@code raw/<side>/<phase>-<k>/}.
 * A phase is a set of rounds: the rounds themselves, then the confirmation rounds of the flagged benchmarks. One
 * progress line as each run starts and ends, on the terminal and in compare.log, with an ETA.
 *
 * <p>Threading: one thread, the command's.
 */
final class CompareRounds {
    /** Set-up beyond the iterations assumed before the first run ends: the bench JVM, its JMH fork and the sender. */
    private static final long ASSUMED_SETUP_NANOS = 2 * ProgressOutputFormat.ASSUMED_SETUP_NANOS_PER_FORK;
    private static final long LOCK_RETRY_SECONDS = 10;
    private static final long LOCK_WAIT_SECONDS = 30 * 60;

    /** One run of the plan: a build, a benchmark, a round of a phase. */
    private record Item(BuildUnderTest build, String transport, String frame, String phase, int round) {
        String label(int rounds) {
            return build.side() + " " + transport + " " + frame + " (" + phase.replace('-', ' ') + " " + round + "/" + rounds + ")";
        }

        String relative() {
            return "raw/" + build.side() + "/" + phase + "-" + round + "/" + transport + "_" + frame;
        }
    }

    private final BuildUnderTest base;
    private final BuildUnderTest head;
    private final RunProfile profile;
    private final Path profileFile;
    private final Path partial;
    private final long plannedNanos;
    private final long deadlineSeconds;
    private final Random shuffle;
    private final Progress progress;
    private final List<ComparisonFiles.Failure> failures = new ArrayList<>();

    /**
     * @param profileFile what every run is given, the profile both builds run
     * @param partial     the comparison's results folder while it is written
     * @param seed        of the shuffle of every round of every phase
     */
    CompareRounds(BuildUnderTest base, BuildUnderTest head, RunProfile profile, Path profileFile, Path partial, long seed, PrintStream terminal,
                  PrintStream log) {
        this.base = base;
        this.head = head;
        this.profile = profile;
        this.profileFile = profileFile;
        this.partial = partial;
        this.plannedNanos = ((long) profile.warmupIterations() * profile.warmupSeconds() + (long) profile.iterations() * profile.iterationSeconds())
                * 1_000_000_000L;
        this.deadlineSeconds = plannedNanos / 1_000_000_000L + 4L * profile.timeoutSeconds() + 120;
        this.shuffle = new Random(seed);
        this.progress = new Progress(terminal, log, plannedNanos);
    }

    /** A line on the terminal and in compare.log. */
    void say(String line) {
        progress.say(line);
    }

    /** How long {@code runs} runs should take from the plan alone, as a clock ("6:12"). */
    String estimate(int runs) {
        return ProgressOutputFormat.clock(ProgressOutputFormat.remainingNanos(0, runs, 0, plannedNanos, ASSUMED_SETUP_NANOS));
    }

    /** Every run that failed so far, in the order they ran. */
    List<ComparisonFiles.Failure> failures() {
        return List.copyOf(failures);
    }

    /** Every benchmark once per build in each of {@code rounds} rounds, each round in an order shuffled afresh. */
    private List<Item> shuffled(List<Comparison.Rounds> benchmarks, String phase, int rounds) {
        List<Item> order = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<Item> thisRound = new ArrayList<>();
            for (Comparison.Rounds b : benchmarks) {
                thisRound.add(new Item(base, b.transport(), b.frame(), phase, round));
                thisRound.add(new Item(head, b.transport(), b.frame(), phase, round));
            }
            Collections.shuffle(thisRound, shuffle);
            order.addAll(thisRound);
        }
        return order;
    }

    /**
     * Runs {@code rounds} rounds of {@code benchmarks} as one phase ({@code round}, or {@code confirm-round} for a
     * confirmation), each round in an order shuffled afresh; every result goes into its benchmark's rounds, a
     * failed run is recorded and left out of its round. The ETA counts the phase's runs from now on.
     */
    void run(String phase, List<Comparison.Rounds> benchmarks, int rounds) throws IOException, InterruptedException {
        List<Item> order = shuffled(benchmarks, phase, rounds);
        progress.more(order.size());
        for (Item item : order) {
            String label = item.label(rounds);
            int index = progress.start(label);
            String options = TransportOptions.parse(profile.optionsText()).forTransport(TransportRegistry.byName(item.transport())).toString();
            Path runLog = partial.resolve(item.relative() + ".log");
            Path runDir = partial.resolve(item.relative());
            BuildUnderTest.Outcome outcome = item.build().bench(profileFile, item.transport(), item.frame(), options, runDir, runLog,
                    deadlineSeconds);
            // Another benchmark on this machine holds JMH's lock: measuring beside it would spoil both, so wait for it.
            long waitedSeconds = 0;
            while (outcome.lockBusy() && waitedSeconds < LOCK_WAIT_SECONDS) {
                if (waitedSeconds == 0) {
                    progress.say("[framebench] waiting: another JMH run on this machine holds its lock (" + System.getProperty("java.io.tmpdir")
                            + "/jmh.lock); retrying every " + LOCK_RETRY_SECONDS + " s for up to " + LOCK_WAIT_SECONDS / 60 + " min");
                }
                Thread.sleep(LOCK_RETRY_SECONDS * 1000L);
                waitedSeconds += LOCK_RETRY_SECONDS;
                Files.deleteIfExists(partial.resolve(item.relative() + ".failed.log"));
                outcome = item.build().bench(profileFile, item.transport(), item.frame(), options, runDir, runLog, deadlineSeconds);
            }
            if (outcome.status() == ExitStatus.BAD_INPUT) {
                throw new BadInputException("compare: the " + item.build().side() + " build refused " + item.transport() + " " + item.frame()
                        + " (" + outcome.reason() + ")");
            }
            if (outcome.succeeded()) {
                Comparison.Rounds b = find(benchmarks, item);
                (item.build() == base ? b.base() : b.head())[item.round() - 1] = outcome.row();
                progress.done(index, label, outcome.row());
            } else {
                failures.add(new ComparisonFiles.Failure(item.build().side(), item.phase() + "-" + item.round(), item.transport(), item.frame(),
                        outcome.reason(), item.relative() + ".log"));
                progress.failed(index, label, outcome.reason(), item.relative() + ".log");
            }
        }
    }

    private static Comparison.Rounds find(List<Comparison.Rounds> benchmarks, Item item) {
        return benchmarks.stream().filter(b -> b.transport().equals(item.transport()) && b.frame().equals(item.frame())).findFirst().orElseThrow();
    }

    /**
     * One line as each run starts and ends, on the terminal and in compare.log: elapsed time, and an estimate of
     * the end from the plan plus the set-up the finished runs took beyond it ({@link ProgressOutputFormat#remainingNanos}).
     */
    private static final class Progress {
        private final PrintStream terminal;
        private final PrintStream log;
        private int total;
        private final long plannedNanos;
        private final long startNanos = System.nanoTime();
        private long itemStartNanos;
        private int started;

        Progress(PrintStream terminal, PrintStream log, long plannedNanos) {
            this.terminal = terminal;
            this.log = log;
            this.plannedNanos = plannedNanos;
        }

        void say(String line) {
            terminal.println(line);
            log.println(line);
        }

        /** A confirmation adds runs to the plan: the ETA counts them from now on. */
        void more(int runs) {
            total += runs;
        }

        /** Says the next run starts; returns its index in the plan. */
        int start(String label) {
            int index = started++;
            itemStartNanos = System.nanoTime();
            say(String.format(Locale.ROOT, "[framebench] %d/%d start %s  (elapsed %s%s)", index + 1, total, label, elapsed(), eta(index)));
            return index;
        }

        void done(int index, String label, BenchmarkRow row) {
            say(String.format(Locale.ROOT, "[framebench] %d/%d done  %s: %.3f GB/s  %.4f cpu.total s/GB  (took %s, elapsed %s%s)", index + 1, total,
                    label, row.gbps().score(), row.cpuTotalSPerGb().score(), took(), elapsed(), eta(index + 1)));
        }

        void failed(int index, String label, String reason, String relativeLog) {
            say(String.format(Locale.ROOT, "[framebench] %d/%d FAILED %s after %s: %s (log: %s); left out of its round%s", index + 1, total, label,
                    took(), reason, relativeLog, eta(index + 1)));
        }

        private String took() {
            return ProgressOutputFormat.clock(System.nanoTime() - itemStartNanos);
        }

        private String elapsed() {
            return ProgressOutputFormat.clock(System.nanoTime() - startNanos);
        }

        private String eta(int done) {
            if (done >= total) {
                return "";
            }
            long left = ProgressOutputFormat.remainingNanos(done, total, System.nanoTime() - startNanos, plannedNanos, ASSUMED_SETUP_NANOS);
            String ends = java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusNanos(left).withNano(0).toString();
            return ", about " + ProgressOutputFormat.clock(left) + " left, ends ~" + ends + " UTC";
        }
    }
}
