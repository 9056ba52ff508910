package dev.framebench.harness.cli;

import dev.framebench.harness.util.CpuPinning;
import dev.framebench.harness.util.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.run.ResultsFolder;
import dev.framebench.harness.results.PacedResults.PacedRow;
import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.util.Args;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.session.Receivers;
import dev.framebench.harness.peer.Topology;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code scripts/capacity.sh}: the largest number of paced streams one transport holds on this machine.
 * A stream count N <em>holds</em> when every stream gets at least 99% of the target rate, nothing is
 * dropped, p99 latency stays under the bound (default one frame interval) and the machine still has CPU
 * to spare (busy cores at most {@code 1 - cpu-spare} of them). It probes N = 1, 2, 4, ... until one fails
 * (or {@code --max-streams}), then bisects between the last that held and the first that did not; each
 * probe is a full paced JMH run whose folder is kept. Streams per core = N / (sender + receiver cores at N).
 */
final class CapacityCommand {
    static final String HELP = """
            usage: scripts/capacity.sh --transport T [flags]

            Finds the largest N paced streams that transport T holds on this machine: every stream at
            >= 99%% of the target fps, no frame dropped, p99 latency <= the bound, and busy machine CPU <=
            (1 - cpu-spare) x cores. Probes N = 1, 2, 4, ... then bisects; prints each probe and the
            capacity with streams per core = N / (cores.sender + cores.receiver at N). Writes DIR/streams-N/
            (jmh.json, hgrm/, summary.txt) per probe and DIR/capacity.txt, DIR/capacity.json.

            flags:
              --transport T         one transport; valid: %s
              --frame F             frame preset (default 1080p-i420); valid: %s
              --fps R               frames per second of each stream (default 30)
              --topology T          %s (default thread-per-stream)
              --receivers R         per-stream (default) or fan-in (one many-producer ring: shm-agrona-mpsc)
              --options 'K=V;K=V'   transport options, e.g. 'idle=futex'
              --consume MODE        none | read | verify (default read)
              --p99-bound-ms MS     p99 latency bound (default one frame interval: 1000 / fps)
              --cpu-spare F         fraction of the machine's cores that must stay idle, 0..0.9 (default 0.1)
              --max-streams N       stop probing at N streams (default 64)
              --warmup-seconds S    warm-up per probe (default 3; 0: none)
              --iterations N, --iteration-seconds S   measurement per probe (default 2 x 5 s)
              --timeout-seconds S   deadline of every blocking step (default 30)
              --out DIR             results folder, must not exist yet (default: runs/<UTC time>_capacity)
              --help                this text
            """;

    private static final Set<String> WITH_VALUE = Set.of("--transport", "--frame", "--fps", "--topology", "--receivers", "--options", "--consume",
            "--p99-bound-ms", "--cpu-spare", "--max-streams", "--warmup-seconds", "--iterations", "--iteration-seconds",
            "--timeout-seconds", "--out");
    private static final Set<String> SWITCHES = Set.of("--help");
    /** A stream holds its rate when it gets at least this share of it; window edges cost a frame or so. */
    static final double FPS_SHARE = 0.99;

    private CapacityCommand() {
    }

    /** What one probe measured, and whether N held. */
    record Probe(int streams, boolean holds, String why, double fps, double p99Ms, double coresUsed, double coresMachine) {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("capacity", argv, WITH_VALUE, SWITCHES);
        if (args.has("--help")) {
            out.print(HELP.formatted(TransportRegistry.validNames(), FramePreset.validNames(), Topology.validNames()));
            return 0;
        }
        String transportName = args.require("--transport");
        if (transportName.contains(",")) {
            throw new BadInputException("capacity: --transport takes one transport, not '" + transportName + "'; run it once per transport");
        }
        Transport transport = TransportRegistry.byName(transportName);
        FramePreset frame = FramePreset.byName(args.get("--frame", "1080p-i420"));
        PacedSchedule schedule = PacedSchedule.ofFps(args.get("--fps", "30"));
        Topology topology = Topology.byName(args.get("--topology", Topology.THREAD_PER_STREAM.topologyName()));
        if (transport.singleProcess() && topology == Topology.PROCESS_PER_STREAM) {
            throw new BadInputException(transport.name() + " runs sender and receiver as threads of one JVM, so --topology "
                    + topology + " does not apply; use --topology " + Topology.THREAD_PER_STREAM);
        }
        Receivers receivers = Receivers.byName(args.get("--receivers", Receivers.PER_STREAM.receiversName()));
        receivers.requireSupportedBy(transport);
        String options = args.get("--options", "");
        TransportOptions.parse(options).requireKnownBy(List.of(transport));
        String consume = ConsumeMode.byName(args.get("--consume", "read")).modeName();
        double boundMs = decimal(args, "--p99-bound-ms", schedule.intervalNanos() / 1e6, 0.001, 3_600_000);
        double cpuSpare = decimal(args, "--cpu-spare", 0.1, 0, 0.9);
        int maxStreams = (int) args.getLong("--max-streams", 64, 1, PacedSchedule.MAX_STREAMS);
        int warmup = (int) args.getLong("--warmup-seconds", 3, 0, 3600);
        int iterations = (int) args.getLong("--iterations", 2, 1, 1000);
        int iterationSeconds = (int) args.getLong("--iteration-seconds", 5, 1, 3600);
        int timeout = (int) args.getLong("--timeout-seconds", 30, 1, 3600);
        Path outDir = ResultsFolder.resolve(args.get("--out", null), "capacity");
        int cores = Runtime.getRuntime().availableProcessors();
        double busyLimit = (1 - cpuSpare) * cores;
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new BadInputException("cannot create results folder " + outDir + ": " + e.getMessage() + "; choose a writable --out");
        }
        out.printf(Locale.ROOT, "[framebench] capacity of %s, %s at %s fps, %s%s: p99 <= %.2f ms, fps >= %.0f%% of target, busy CPU <= %.2f of %d cores%n",
                transport.name(), frame, schedule.fpsText(), topology, options.isBlank() ? "" : " (" + options + ")", boundMs,
                FPS_SHARE * 100, busyLimit, cores);

        TreeMap<Integer, Probe> probes = new TreeMap<>();
        java.util.function.IntFunction<Probe> probe = n -> probes.computeIfAbsent(n, streams -> {
            PacedCommand.Plan plan = new PacedCommand.Plan(List.of(transport.name()), List.of(frame.presetName()), consume, List.of(options),
                    List.of(Integer.toString(streams)), List.of(args.get("--fps", "30")), List.of(topology.topologyName()), List.of(receivers.receiversName()), List.of("jvm"), List.of("jvm"), 1, warmup,
                    iterations, iterationSeconds, timeout, false, CpuPinning.none());
            out.printf(Locale.ROOT, "[framebench] probe N=%d%n", streams);
            List<PacedRow> results = PacedCommand.runInto(outDir.resolve("streams-" + streams), plan, out, err);
            Probe p = judge(streams, results, schedule.fps(), boundMs, busyLimit);
            out.printf(Locale.ROOT, "[framebench] probe N=%d %s: %s%n", streams, p.holds() ? "holds" : "fails", p.why());
            return p;
        });

        int held = 0;
        int failed = -1;
        for (int n = 1; n <= maxStreams; n = n >= maxStreams ? maxStreams + 1 : Math.min(n * 2, maxStreams)) {
            if (probe.apply(n).holds()) {
                held = n;
            } else {
                failed = n;
                break;
            }
        }
        while (failed > 0 && failed - held > 1) {
            int mid = (held + failed) / 2;
            if (probe.apply(mid).holds()) {
                held = mid;
            } else {
                failed = mid;
            }
        }
        String verdict = verdict(transport.name(), frame, schedule, topology, options, held, held == 0 ? null : probes.get(held), failed,
                maxStreams, cores);
        StringBuilder text = new StringBuilder();
        probes.values().forEach(p -> text.append(String.format(Locale.ROOT, "N=%d %s: %s%n", p.streams(), p.holds() ? "holds" : "fails", p.why())));
        text.append(verdict).append(System.lineSeparator());
        try {
            Files.writeString(outDir.resolve("capacity.txt"), text, StandardCharsets.UTF_8);
            Files.writeString(outDir.resolve("capacity.json"), json(transport.name(), frame, schedule, topology, options, boundMs, held,
                    held == 0 ? null : probes.get(held), cores), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("framebench: cannot write " + outDir.resolve("capacity.txt") + ": " + e.getMessage());
            return 1;
        }
        out.println(verdict);
        out.println("[framebench] results: " + outDir);
        return 0;
    }

    static Probe judge(int streams, List<PacedRow> results, double fps, double boundMs, double busyLimit) {
        if (results == null || results.isEmpty()) {
            return new Probe(streams, false, "the run failed (see above)", Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        PacedRow m = results.getFirst();
        double achieved = m.fpsAchieved();
        double p99Ms = m.p99Us() / 1e3;
        double dropped = m.framesDropped();
        double used = m.coresSender() + m.coresReceiver();
        double machine = m.coresMachine();
        String figures = String.format(Locale.ROOT, "fps %.2f of %.2f, p99 %.2f ms (bound %.2f), dropped %.0f, cores used %.3f, machine busy %.2f (limit %.2f)",
                achieved, fps, p99Ms, boundMs, dropped, used, machine, busyLimit);
        String problem = null;
        if (!(achieved >= FPS_SHARE * fps)) {
            problem = "rate not held";
        } else if (!(p99Ms <= boundMs)) {
            problem = "p99 over the bound";
        } else if (!(dropped == 0)) {
            problem = "frames dropped";
        } else if (machine > busyLimit) {
            problem = "no CPU to spare";
        }
        return new Probe(streams, problem == null, (problem == null ? "" : problem + "; ") + figures, achieved, p99Ms, used, machine);
    }

    private static String verdict(String transport, FramePreset frame, PacedSchedule schedule, Topology topology, String options, int held,
                                  Probe at, int failed, int maxStreams, int cores) {
        String what = String.format(Locale.ROOT, "capacity: %s %s at %s fps, %s%s: ", transport, frame, schedule.fpsText(), topology,
                options.isBlank() ? "" : " (" + options + ")");
        if (at == null) {
            return what + "0 streams (even one stream does not hold; see probe N=1)";
        }
        String limit = failed < 0 ? " (the --max-streams limit " + maxStreams + " held: raise it)" : " (N=" + failed + " does not hold)";
        return what + String.format(Locale.ROOT, "%d streams%s; %.2f streams per core (%.3f cores used by sender+receiver at N=%d, %.3f cores per stream); "
                        + "p99 %.2f ms; machine busy %.2f of %d cores",
                held, limit, held / at.coresUsed(), at.coresUsed(), held, at.coresUsed() / held, at.p99Ms(), at.coresMachine(), cores);
    }

    private static String json(String transport, FramePreset frame, PacedSchedule schedule, Topology topology, String options, double boundMs,
                               int held, Probe at, int cores) {
        ObjectNode line = Json.object().put("transport", transport).put("frame", frame.presetName()).put("fps", schedule.fps())
                .put("topology", topology.topologyName()).put("options", options).put("p99BoundMs", boundMs).put("machineCores", cores)
                .put("streams", held);
        if (at == null) {
            line.putNull("coresUsed").putNull("streamsPerCore").putNull("p99Ms");
        } else {
            line.put("coresUsed", at.coresUsed()).put("streamsPerCore", held / at.coresUsed()).put("p99Ms", at.p99Ms());
        }
        return Json.line(line) + System.lineSeparator();
    }

    private static double decimal(Args args, String flag, double defaultValue, double min, double max) {
        String text = args.get(flag, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below with the allowed range.
        }
        throw new BadInputException("capacity: bad value for " + flag + ": '" + text + "'; allowed: a number from " + min + " to " + max);
    }
}
