package dev.framebench.harness.cli;

import dev.framebench.transport.TransportOptions;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.report.Summary;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.run.ResultsFolder;
import dev.framebench.harness.run.ProfileFlag;
import dev.framebench.harness.run.RunProfile;
import dev.framebench.harness.session.ReceiverKind;
import dev.framebench.harness.session.SenderKind;
import dev.framebench.harness.util.Args;
import dev.framebench.harness.peer.SenderHook;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.harness.run.StaleFiles;
import dev.framebench.harness.jmh.ForkJvm;
import dev.framebench.harness.jmh.FrameMetricsProfiler;
import dev.framebench.harness.jmh.FrameThroughputBenchmark;
import dev.framebench.harness.jmh.InterleavedForks;
import dev.framebench.harness.jmh.MemoryBaseline;
import dev.framebench.harness.jmh.FlameGraphProfiler;
import dev.framebench.harness.profiler.FlameSettings;
import dev.framebench.harness.profiler.ProfilerLibrary;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code framebench bench}: the JMH runs of a profile over the chosen transports and frames, results written to a
 * folder that appears only when the run succeeded (it is written under a temporary name and renamed).
 */
final class BenchCommand {
    static final String HELP = """
            usage: scripts/bench.sh [flags] [-- JMH-OPTIONS]          (framebench bench)

            Runs FrameThroughputBenchmark over every transport x frame with JMH: a receiver in the
            JMH fork, a sender in a second JVM (threads of one JVM for inproc-*), and writes DIR/jmh.json
            (JMH's JSON: score frames/s; secondary gbps, cpu.*.sPerGB, rss.*.MB), DIR/jmh.log and
            DIR/summary.txt. Prints a line as each benchmark starts and ends, then where results went.

            flags (each overrides the profile):
              --profile NAME        profiles/NAME.properties or a path to a .properties file (default: quick)
              --transport A,B,...   transports, or 'all'; valid: %s
              --frame F,...         frame presets; valid: %s
              --consume MODE        none | read | verify
              --options 'K=V;K=V'   transport options (';'-separated; see framebench transports); several sets,
                                    comma-separated, run every transport x frame once per set, each row named by its set
                                    (a sweep: --options 'shm.ringFrames=2;idle=spin,shm.ringFrames=8;idle=spin')
              --sender K,...        jvm (framebench's sender JVM, default) and/or chromium (the seed's sender: a page
                                    in headless Chromium sending over the browser's WebSocket; ws-netty, ws-javaws)
              --receiver K,...      jvm (the JMH fork, default) and/or python (the seed's receiver: a Python websockets
                                    process that consumes each frame itself; ws-netty, ws-javaws). Each sender kind
                                    runs with each receiver kind over every transport that fits both; chromium ->
                                    python runs once, under the first WebSocket transport listed. Chromium from
                                    FRAMEBENCH_CHROMIUM or PATH, Python from FRAMEBENCH_PYTHON or /usr/bin/python3;
                                    scripts/bench.sh installs Debian's chromium, python3-websockets when missing
              --forks N             JMH forks per benchmark
              --order ORDER         grouped (each benchmark's forks back to back) | interleaved (rounds of one
                                    fork of every benchmark, shuffled: each figure samples the whole run)
              --warmup-iterations N, --warmup-seconds S, --iterations N, --iteration-seconds S
              --timeout-seconds S   deadline of every blocking step; a stalled peer fails the run after S
              --pin P               none (default) | auto | sender=CPUS,receiver=CPUS: pin the sender JVM and the receiver
                                    JVM (the JMH fork) to CPUs, CPUS as taskset -c writes them (2, 0-1, 0,2); auto picks
                                    two physical cores of one package, CPU 0's core avoided, where there are at least 4 CPUs,
                                    else pins nothing and says why. Recorded in env.json and the results README. The
                                    seed's Chromium and Python ends are not pinned
              --no-baseline         skip the machine's baselines (memcpy, copy+read, read-only) that each row's limit comes from
              --flames              flame graphs of both JVMs (async-profiler) over the measurement iterations:
                                    DIR/flames/<transport>_<frame>_{sender,receiver}.{html,collapsed} and _hot.json;
                                    profiling costs throughput, so the run is labelled profiled
              --flames-event EV     cpu (default; itimer where perf_events are unavailable) | itimer | ctimer |
                                    wall | alloc | lock; implies --flames
              --out DIR             results folder, must not exist yet (default: runs/<UTC time>_<profile>[-flames])
              --with-jar PATH       (scripts/bench.sh, paced.sh, capacity.sh, framebench) add a jar holding a transport
                                    built outside this repo to the class path, repeatable: --with-jar
                                    examples/custom-transport/target/framebench-example-fifo-0.1.0-SNAPSHOT.jar --transport fifo
              --help                this text
              -- JMH-OPTIONS        everything after -- goes to JMH as given, e.g. -- -prof gc -jvmArgsAppend -Xmx2g
                                    (profilers join framebench's; -jvmArgsAppend follows framebench's fork arguments);
                                    recorded one a line in DIR/jmh-args.txt. JMH's parser checks them first: an unknown
                                    option or profiler, or one framebench sets itself (-f -i -wi -r -w -p -rf -rff -o
                                    -foe, benchmark patterns: use the flags above), is one line and exit 2

            Exit status: 0 results written; 1 the benchmark failed (no results); 2 bad input (one line, no
            results); 3 results written without the flame graphs asked for (the profiler could not load here).
            """;

    /** The JMH options given after {@code --}, one a line, in the results folder of a run that had any. */
    static final String JMH_ARGS_FILE = "jmh-args.txt";

    private static final Set<String> WITH_VALUE = Stream.concat(Stream.of("--profile", "--out"),
            ProfileFlag.withValue(ProfileFlag.BENCH).stream()).collect(Collectors.toSet());
    private static final Set<String> SWITCHES = Stream.concat(Stream.of("--help"),
            ProfileFlag.switches(ProfileFlag.BENCH).stream()).collect(Collectors.toSet());

    private BenchCommand() {
    }

    static String help() {
        return HELP.formatted(TransportRegistry.validNames(), FramePreset.validNames());
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        JmhPassThrough.Split split = JmhPassThrough.split(argv);
        Args args = Args.parse("framebench bench", split.framebench(), WITH_VALUE, SWITCHES);
        if (args.has("--help")) {
            out.print(help());
            return 0;
        }
        JmhPassThrough jmh = JmhPassThrough.parse(split.jmh());
        SenderHook.refuseInPublishedRun("framebench bench");
        RunProfile profile = RunProfile.load(args.get("--profile", "quick"), FramebenchHome.profiles());
        profile = profile.with(args, ProfileFlag.BENCH);
        if (args.has("--flames-event")) {
            profile = profile.with("flames", "true");
        }
        boolean flames = profile.flames();
        // Every figure is still worth having where the profiler cannot load, but the caller asked for
        // flame graphs and must not mistake the run for a complete one: a distinct exit status says so.
        boolean flamesLost = flames && ProfilerLibrary.failure() != null;
        if (flamesLost) {
            err.println("framebench: warning: no flame graphs: " + ProfilerLibrary.failure() + "; the run goes on without them"
                    + " and exits " + ExitStatus.WITHOUT_FLAMES + "; profile on glibc Linux x64 or arm64, or run without --flames (flames=false)");
            profile = profile.with("flames", "false");
            flames = false;
        }

        profile.requireValidOptions();
        Path outDir = ResultsFolder.resolve(args.get("--out", null), profile.name() + (flames ? "-flames" : ""));
        // What killed runs left behind; and again at the end, for a fork killed during this one.
        sweepStaleFiles(profile);
        RunProfile swept = profile;
        try (ResultsFolder folder = ResultsFolder.open(outDir, () -> sweepStaleFiles(swept));
             PrintStream log = new PrintStream(Files.newOutputStream(folder.partial().resolve("jmh.log")), true, StandardCharsets.UTF_8)) {
            Path partial = folder.partial();
            if (!jmh.isEmpty()) {
                // One argument a line, so a run can be repeated with exactly these (quoting included).
                Files.write(partial.resolve(JMH_ARGS_FILE), jmh.args(), StandardCharsets.UTF_8);
            }
            RunPlan plan = plan(profile, jmh, partial, out);
            ProgressOutputFormat progress = new ProgressOutputFormat(
                    OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL), out, plan.steps(), plan.plannedNanosPerStep(),
                    plan.forksPerStep()).inRounds(profile.interleaved() ? profile.forks() : 1);
            Collection<RunResult> results;
            try {
                List<RunResult> perRun = new ArrayList<>();
                for (Options run : plan.runs()) {
                    perRun.addAll(new Runner(run, progress).run());
                }
                results = profile.interleaved() ? InterleavedForks.merge(perRun, planOrder(profile)) : perRun;
                ResultFormatFactory.getInstance(ResultFormatType.JSON, partial.resolve("jmh.json").toString()).writeOut(results);
            } catch (RunnerException e) {
                String reason = progress.firstFailure() != null ? progress.firstFailure() : rootMessage(e);
                err.println("framebench: benchmark failed, no results written: " + reason + " (log: " + folder.keepLog() + ")");
                return ExitStatus.FAILED;
            }
            // summary.txt comes from jmh.json, through the reader the report uses, so both say the same.
            String summary = Summary.table(JmhJson.read(partial.resolve("jmh.json"))) + (flames ? FlameGraphProfiler.summaryNote(partial.resolve("flames")) : "");
            Files.writeString(partial.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
            folder.commit();
            out.println();
            out.print(summary);
            out.println();
            out.println("[framebench] results: " + outDir.resolve("jmh.json"));
            return flamesLost ? ExitStatus.WITHOUT_FLAMES : ExitStatus.OK;
        } catch (IOException e) {
            err.println("framebench: cannot write results to " + outDir + ": " + e.getMessage());
            return ExitStatus.FAILED;
        } finally {
            sweepStaleFiles(profile);
        }
    }

    /** What killed runs left behind in the folders of every option set. */
    private static void sweepStaleFiles(RunProfile profile) {
        profile.optionSets().forEach(StaleFiles::sweep);
    }

    /**
     * The JMH runs of a profile, done one after another: one run of every benchmark with all its forks
     * ({@code order=grouped}), or {@code forks} rounds of one-fork runs, one per benchmark, shuffled in each
     * round ({@code order=interleaved}, see {@link InterleavedForks}). For progress, a step is one benchmark
     * of one run, with {@code forksPerStep} forks that take {@code plannedNanosPerStep} of iterations.
     */
    record RunPlan(List<Options> runs, int steps, int forksPerStep, long plannedNanosPerStep) {
    }

    static RunPlan plan(RunProfile profile, JmhPassThrough jmh, Path dir, PrintStream terminal) {
        String transports = String.join(",", profile.transports());
        String frames = profile.frames().stream().map(FramePreset::presetName).collect(Collectors.joining(","));
        boolean baseline = profile.baseline();
        ChainedOptionsBuilder common = new OptionsBuilder()
                .parent(jmh.options())
                .param("consume", profile.consume().modeName())
                .param("options", profile.optionSets().stream().map(TransportOptions::toString).toArray(String[]::new))
                .warmupIterations(profile.warmupIterations())
                .warmupTime(TimeValue.seconds(profile.warmupSeconds()))
                .measurementIterations(profile.iterations())
                .measurementTime(TimeValue.seconds(profile.iterationSeconds()))
                .jvmArgsAppend(jmh.jvmArgsAppend(ForkJvm.args(profile.timeoutSeconds(), profile.pinning())))
                .addProfiler(FrameMetricsProfiler.class)
                .shouldFailOnError(true);
        boolean flames = profile.flames();
        if (flames) {
            common.addProfiler(FlameGraphProfiler.class, FlameSettings.of(dir.resolve("flames"), profile.flamesEvent()).initLine());
        }
        Options shared = common.build();
        int forks = profile.forks();
        String[] transportList = transports.split(",");
        String[] frameList = frames.split(",");
        int endsPerFrame = 0;
        for (String transport : transportList) {
            endsPerFrame += profile.endsOf(transport).size();
        }
        List<String> baselines = baseline ? MemoryBaseline.benchmarks() : List.of();
        int optionSets = profile.optionSets().size();
        int benchmarks = endsPerFrame * frameList.length * optionSets + baselines.size() * frameList.length;
        List<Options> runs = new ArrayList<>();
        String orderNote;
        if (profile.interleaved()) {
            List<Options> oneForkEach = new ArrayList<>();
            for (String frame : frameList) {
                for (String transport : transportList) {
                    for (RunProfile.Ends ends : profile.endsOf(transport)) {
                        for (TransportOptions set : profile.optionSets()) {
                            oneForkEach.add(new OptionsBuilder().parent(shared).include(FrameThroughputBenchmark.BENCHMARK + "$")
                                    .param("transport", transport).param("frame", frame).param("options", set.toString())
                                    .param("sender", ends.sender().kindName()).param("receiver", ends.receiver().kindName()).forks(1).build());
                        }
                    }
                }
                for (String b : baselines) {
                    oneForkEach.add(new OptionsBuilder().parent(shared).include(b + "$").param("frame", frame).forks(1).build());
                }
            }
            long seed = System.nanoTime();
            Random shuffle = new Random(seed);
            for (int round = 0; round < forks; round++) {
                List<Options> thisRound = new ArrayList<>(oneForkEach);
                Collections.shuffle(thisRound, shuffle);
                runs.addAll(thisRound);
            }
            orderNote = String.format(Locale.ROOT, "interleaved: %d rounds of one fork of each benchmark, shuffled (seed %d)", forks, seed);
        } else if (!profile.jvmEndsOnly()) {
            // Not every transport takes every pair of ends (a browser drives WebSockets only), so no one cross product of parameters fits.
            for (String transport : transportList) {
                for (RunProfile.Ends ends : profile.endsOf(transport)) {
                    runs.add(new OptionsBuilder().parent(shared).include(FrameThroughputBenchmark.BENCHMARK + "$")
                            .param("transport", transport).param("frame", frameList)
                            .param("sender", ends.sender().kindName()).param("receiver", ends.receiver().kindName()).forks(forks).build());
                }
            }
            if (baseline) {
                ChainedOptionsBuilder machine = new OptionsBuilder().parent(shared).param("frame", frameList).forks(forks);
                baselines.forEach(b -> machine.include(b + "$"));
                runs.add(machine.build());
            }
            orderNote = "grouped";
        } else {
            ChainedOptionsBuilder all = new OptionsBuilder().parent(shared)
                    .include(FrameThroughputBenchmark.BENCHMARK + "$")
                    .param("transport", transportList)
                    .param("frame", frameList)
                    .forks(forks);
            // The baselines have no options parameter: JMH runs them once per frame, whatever the sets.
            baselines.forEach(b -> all.include(b + "$"));
            runs.add(all.build());
            orderNote = "grouped";
        }
        int forksPerRun = profile.interleaved() ? 1 : forks;
        long plannedSeconds = (long) forksPerRun * ((long) profile.warmupIterations() * profile.warmupSeconds()
                + (long) profile.iterations() * profile.iterationSeconds());
        int steps = profile.interleaved() ? runs.size() : benchmarks;
        long estimateNanos = ProgressOutputFormat.remainingNanos(0, steps, 0, plannedSeconds * 1_000_000_000L,
                ProgressOutputFormat.ASSUMED_SETUP_NANOS_PER_FORK * forksPerRun);
        String ends = profile.jvmEndsOnly() ? "" : " x senders " + profile.get("senderKinds") + " x receivers " + profile.get("receiverKinds") + " where they fit";
        terminal.printf(Locale.ROOT, "[framebench] profile %s: %d benchmarks (%s%s x %s, consume=%s%s), %d fork(s) %s, %d x %d s warm-up, %d x %d s measurement; about %s%n",
                profile.name(), benchmarks, transports, ends, frames, profile.consume().modeName(), baseline ? ", + memcpy, copy+read and read-only baselines" : "",
                forks, orderNote, profile.warmupIterations(), profile.warmupSeconds(),
                profile.iterations(), profile.iterationSeconds(), ProgressOutputFormat.clock(estimateNanos));
        if (!jmh.isEmpty()) {
            terminal.println("[framebench] JMH options after --: " + String.join(" ", jmh.args()) + " (recorded in " + JMH_ARGS_FILE + ")");
        }
        if (flames) {
            terminal.println("[framebench] flames: async-profiler samples the JVM ends (perf a Chromium sender) over the measurement iterations (event "
                    + profile.flamesEvent() + "); profiling costs throughput, so this run's figures are labelled profiled");
        }
        for (String name : transportList) {
            Transport t = TransportRegistry.byName(name);
            if (t.singleProcess()) {
                terminal.println("[framebench] note: " + name + " runs sender and receiver as threads of one JVM (a ceiling, by design)");
            }
        }
        return new RunPlan(runs, steps, forksPerRun, plannedSeconds * 1_000_000_000L);
    }

    /** The order an interleaved run writes its rows in, not the shuffled one they ran in: transports as listed, the baselines last (in {@link MemoryBaseline}'s order), frames as listed inside each. */
    private static Comparator<BenchmarkParams> planOrder(RunProfile profile) {
        List<String> transports = profile.transports();
        List<String> frames = profile.frames().stream().map(FramePreset::presetName).toList();
        List<String> sets = profile.optionSets().stream().map(TransportOptions::toString).toList();
        return Comparator.<BenchmarkParams>comparingInt(p -> p.getParam("transport") == null ? transports.size() : transports.indexOf(p.getParam("transport")))
                .thenComparingInt(p -> p.getParam("sender") == null ? 0 : profile.senderKinds().indexOf(SenderKind.byName(p.getParam("sender"))))
                .thenComparingInt(p -> p.getParam("receiver") == null ? 0 : profile.receiverKinds().indexOf(ReceiverKind.byName(p.getParam("receiver"))))
                .thenComparingInt(p -> MemoryBaseline.benchmarks().indexOf(p.getBenchmark()))
                .thenComparingInt(p -> frames.indexOf(p.getParam("frame")))
                .thenComparingInt(p -> p.getParam("options") == null ? 0 : sets.indexOf(p.getParam("options")));
    }

    static String rootMessage(Throwable t) {
        String message = t.getMessage();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return message == null ? t.toString() : message.replace('\n', ' ');
    }
}
