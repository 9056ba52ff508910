package dev.framebench.harness.cli;

import dev.framebench.harness.util.CpuPinning;
import dev.framebench.harness.run.StaleFiles;
import dev.framebench.harness.results.PacedResults.PacedRow;
import dev.framebench.harness.results.PacedResults;
import dev.framebench.harness.report.PacedSummary;
import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.run.ResultsFolder;
import dev.framebench.harness.run.ProfileFlag;
import dev.framebench.harness.run.RunProfile;
import dev.framebench.harness.session.ReceiverKind;
import dev.framebench.harness.session.SenderKind;
import dev.framebench.harness.util.Args;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.jmh.ForkJvm;
import dev.framebench.harness.jmh.PacedMetricsProfiler;
import dev.framebench.harness.jmh.PacedStreamsBenchmark;
import dev.framebench.harness.session.Receivers;
import dev.framebench.harness.peer.Topology;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.Locale;
import java.util.Set;

/**
 * {@code scripts/paced.sh}: one JMH run of {@link PacedStreamsBenchmark} over transports x frames x
 * option sets x stream counts x rates x topologies, written to a results folder that appears only when
 * the run succeeded: jmh.json, jmh.log, summary.txt (with the price of a process per stream) and
 * hgrm/*.hgrm.
 */
final class PacedCommand {
    static final String HELP = """
            usage: scripts/paced.sh [flags]

            Paced mode: N streams per benchmark at a fixed frame rate (1080p30 by default), each sender on a
            fixed schedule stamping the time each frame was due, the receiver recording receive time minus
            that time in HdrHistogram. Runs PacedStreamsBenchmark over every transport x frame x options x
            streams x fps x topology in one JMH run and writes DIR/jmh.json (score: frames/s over all
            streams; secondary latency.p50/p90/p99/p999/max.us, fps.target, fps.achieved, frames.late,
            frames.dropped, cores.sender, cores.receiver, cores.machine, cores.perStream, cpu.*.sPerGB,
            rss.sender.MB, rss.receiver.MB, senders.processes), DIR/hgrm/<transport>_<frame>_<topology>_<streams>[_fan-in][_<options>].hgrm,
            DIR/jmh.log and DIR/summary.txt, whose last table is the price of a process per stream.

            flags (each overrides the profile's paced* keys):
              --profile NAME        profiles/NAME.properties or a path to a .properties file (default: quick)
              --transport A,B,...   transports, or 'all' (default tcp,uds-jdk,ws-javaws,shm-ffm,shm-agrona); valid: %s
              --frame F,...         frame presets; valid: %s
              --consume MODE        none | read | verify (default read: every payload byte touched)
              --options 'K=V;K=V'   transport options, ';'-separated; several option sets separated by ','
                                    run each: --options 'idle=spin,idle=futex'
              --streams N,...       streams per benchmark, each 1..1024 (default 1,4)
              --fps R,...           frames per second of each stream (default 30)
              --topology T,...      %s (default both)
              --sender K,...        jvm (default) and/or chromium: one page in headless Chromium keeps every stream's
                                    schedule and stamps intended send times (ws-netty, ws-javaws; thread-per-stream)
              --receiver K,...      jvm (a receiving thread per stream in the JMH fork, default) and/or python (a Python
                                    websockets process per stream, the seed's receiver; latency ends at its arrival there)
              --receivers R,...     per-stream (a receiver and thread each, default) and/or fan-in (every stream into
                                    one many-producer ring, one receiving thread: shm-agrona-mpsc)
              --forks N             JMH forks per benchmark
              --warmup-seconds S    one warm-up iteration of S seconds (0: none; default 5)
              --iterations N, --iteration-seconds S   measurement (default 4 x 5 s)
              --timeout-seconds S   deadline of every blocking step
              --pin P               none (default) | auto | sender=CPUS,receiver=CPUS: pin the sender JVMs and the receiver
                                    JVM to CPUs (as framebench bench --help says); recorded in env.json
              --out DIR             results folder, must not exist yet (default: runs/<UTC time>_paced)
              --help                this text
            """;

    private static final Set<String> WITH_VALUE = Stream.concat(Stream.of("--profile", "--out"),
            ProfileFlag.withValue(ProfileFlag.PACED).stream()).collect(Collectors.toSet());
    private static final Set<String> SWITCHES = Set.of("--help");

    private PacedCommand() {
    }

    static String help() {
        return HELP.formatted(TransportRegistry.validNames(), FramePreset.validNames(), Topology.validNames());
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("paced", argv, WITH_VALUE, SWITCHES);
        if (args.has("--help")) {
            out.print(help());
            return 0;
        }
        RunProfile profile = RunProfile.load(args.get("--profile", "quick"), FramebenchHome.profiles());
        if (args.has("--transport")) {
            profile = profile.with("pacedTransports", args.get("--transport", "").trim());
        }
        // The saturation key is not used here; it only scopes option validation to the paced transports.
        profile = profile.with("transports", String.join(",", profile.pacedTransports()));
        profile = profile.with(args, ProfileFlag.PACED);
        Plan plan = Plan.of(profile);

        Path outDir = ResultsFolder.resolve(args.get("--out", null), "paced");
        out.println(plan.describe(profile.name()));
        List<PacedRow> results = runInto(outDir, plan, out, err);
        if (results == null) {
            return 1;
        }
        out.println();
        out.print(PacedSummary.table(results));
        out.println();
        out.println("[framebench] results: " + outDir.resolve("jmh.json"));
        return 0;
    }

    /**
     * Every parameter of one paced JMH run, checked before anything starts.
     *
     * @param preTouch every JVM's heap fixed and touched at start, so RSS that grows over a run is a leak, not first touch
     */
    record Plan(List<String> transports, List<String> frames, String consume, List<String> optionSets, List<String> streams,
                List<String> fps, List<String> topologies, List<String> receivers, List<String> senders, List<String> receiverKinds, int forks, int warmupSeconds, int iterations, int iterationSeconds,
                int timeoutSeconds, boolean preTouch, CpuPinning pinning) {

        static Plan of(RunProfile profile) {
            List<String> transports = profile.pacedTransports();
            List<String> topologies = profile.pacedTopologies().stream().map(Topology::topologyName).toList();
            for (String name : transports) {
                Transport t = TransportRegistry.byName(name);
                if (t.singleProcess() && topologies.contains(Topology.PROCESS_PER_STREAM.topologyName())) {
                    throw new BadInputException(name + " runs sender and receiver as threads of one JVM, so topology "
                            + Topology.PROCESS_PER_STREAM + " does not apply; drop it from --transport or use --topology " + Topology.THREAD_PER_STREAM);
                }
            }
            List<Transport> chosen = TransportRegistry.byNames(String.join(",", transports));
            for (SenderKind sender : profile.pacedSenderKinds()) {
                // One cross product of parameters: every paced transport must take every sender kind chosen.
                chosen.forEach(sender::requireDrives);
                if (sender != SenderKind.JVM && topologies.contains(Topology.PROCESS_PER_STREAM.topologyName())) {
                    throw new BadInputException("sender " + sender + " sends every stream from one page of one browser, so topology "
                            + Topology.PROCESS_PER_STREAM + " does not apply; use --topology " + Topology.THREAD_PER_STREAM);
                }
            }
            List<String> senders = profile.pacedSenderKinds().stream().map(SenderKind::kindName).toList();
            for (ReceiverKind receiver : profile.pacedReceiverKinds()) {
                // One cross product of parameters: every paced transport must be one every receiver kind chosen receives.
                chosen.forEach(receiver::requireReceives);
            }
            List<String> receiverKinds = profile.pacedReceiverKinds().stream().map(ReceiverKind::kindName).toList();
            List<String> receivers = profile.pacedReceivers().stream().map(Receivers::receiversName).toList();
            for (Receivers r : profile.pacedReceivers()) {
                for (Transport t : chosen) {
                    r.requireSupportedBy(t);
                }
            }
            List<String> optionSets = new ArrayList<>();
            for (String set : profile.optionsText().split(",", -1)) {
                TransportOptions parsed = TransportOptions.parse(set);
                parsed.requireKnownBy(chosen);
                for (FramePreset frame : profile.frames()) {
                    parsed.requireValidFor(chosen, frame.frameBytes());
                }
                optionSets.add(set.trim());
            }
            return new Plan(transports, profile.frames().stream().map(FramePreset::presetName).toList(), profile.consume().modeName(), optionSets,
                    profile.pacedStreams().stream().map(String::valueOf).toList(), Arrays.asList(profile.get("pacedFps").replace(" ", "").split(",")),
                    topologies, receivers, senders, receiverKinds, profile.forks(), profile.pacedWarmupSeconds(), profile.pacedIterations(),
                    profile.pacedIterationSeconds(), profile.timeoutSeconds(), profile.pacedPreTouch(), profile.pinning());
        }

        int benchmarks() {
            return transports.size() * frames.size() * optionSets.size() * streams.size() * fps.size() * topologies.size() * receivers.size() * senders.size() * receiverKinds.size();
        }

        String describe(String profileName) {
            return String.format(Locale.ROOT, "[framebench] paced (profile %s): %d benchmarks (%s x %s x options [%s] x streams %s x fps %s x %s x receivers %s x senders %s x receiver kinds %s), "
                            + "%d fork(s), %s%d x %d s measurement",
                    profileName, benchmarks(), String.join(",", transports), String.join(",", frames), String.join("|", optionSets),
                    String.join(",", streams), String.join(",", fps), String.join(",", topologies), String.join(",", receivers), String.join(",", senders), String.join(",", receiverKinds), forks,
                    warmupSeconds > 0 ? "1 x " + warmupSeconds + " s warm-up, " : "no warm-up, ", iterations, iterationSeconds);
        }

        /** The fork's JVM options; pre-touched: the heap's maximum is its minimum, every page touched at start, the senders' too. */
        List<String> forkArgs() {
            List<String> args = new ArrayList<>(ForkJvm.args(timeoutSeconds, pinning));
            if (preTouch) {
                args.addAll(List.of(ForkJvm.HEAP_MIN.replace("-Xms", "-Xmx"), "-XX:+AlwaysPreTouch",
                        "-Dframebench.peer.jvmArgs=-Xmx256m -XX:+AlwaysPreTouch"));
            }
            return args;
        }

        ChainedOptionsBuilder jmhOptions(Path hgrmDir) {
            return new OptionsBuilder()
                    .include(PacedStreamsBenchmark.class.getName() + ".frameArrives$")
                    .param("transport", transports.toArray(String[]::new))
                    .param("frame", frames.toArray(String[]::new))
                    .param("consume", consume)
                    .param("options", optionSets.toArray(String[]::new))
                    .param("streams", streams.toArray(String[]::new))
                    .param("fps", fps.toArray(String[]::new))
                    .param("topology", topologies.toArray(String[]::new))
                    .param("receivers", receivers.toArray(String[]::new))
                    .param("sender", senders.toArray(String[]::new))
                    .param("receiver", receiverKinds.toArray(String[]::new))
                    .forks(forks)
                    .warmupIterations(warmupSeconds > 0 ? 1 : 0)
                    .warmupTime(TimeValue.seconds(Math.max(1, warmupSeconds)))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.seconds(iterationSeconds))
                    .jvmArgsAppend(forkArgs().toArray(String[]::new))
                    .addProfiler(PacedMetricsProfiler.class, PacedMetricsProfiler.HGRM_DIR + "=" + hgrmDir)
                    .shouldFailOnError(true)
                    .resultFormat(ResultFormatType.JSON);
        }
    }

    /**
     * Runs {@code plan} into {@code outDir} (written under a temporary name, renamed when the run
     * succeeded): the results, or null after printing one line saying why it failed.
     */
    static List<PacedRow> runInto(Path outDir, Plan plan, PrintStream out, PrintStream err) {
        try (ResultsFolder folder = ResultsFolder.open(outDir, () -> plan.optionSets().forEach(set -> StaleFiles.sweep(TransportOptions.parse(set))));
             PrintStream log = new PrintStream(Files.newOutputStream(folder.partial().resolve("jmh.log")), true, StandardCharsets.UTF_8)) {
            Path partial = folder.partial();
            ProgressOutputFormat progress = new ProgressOutputFormat(
                    OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL), out, plan.benchmarks(),
                    (long) plan.forks() * (plan.warmupSeconds() + (long) plan.iterations() * plan.iterationSeconds()) * 1_000_000_000L, plan.forks());
            // The forks write .hgrm files while the folder still has its partial name; the rename takes them along.
            ChainedOptionsBuilder options = plan.jmhOptions(partial.resolve("hgrm")).result(partial.resolve("jmh.json").toString());
            try {
                new Runner(options.build(), progress).run();
            } catch (RunnerException e) {
                String reason = progress.firstFailure() != null ? progress.firstFailure() : BenchCommand.rootMessage(e);
                err.println("framebench: paced benchmark failed, no results written: " + reason + " (log: " + folder.keepLog() + ")");
                return null;
            }
            // summary.txt comes from jmh.json, through the reader the report uses, so both say the same.
            List<PacedRow> rows = PacedResults.read(partial.resolve("jmh.json"));
            Files.writeString(partial.resolve("summary.txt"), PacedSummary.table(rows), StandardCharsets.UTF_8);
            folder.commit();
            return rows;
        } catch (IOException e) {
            throw new TransportException("cannot write results to " + outDir + ": " + e.getMessage(), e);
        }
    }
}
