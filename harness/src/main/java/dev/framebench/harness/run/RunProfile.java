package dev.framebench.harness.run;

import dev.framebench.harness.util.CpuPinning;
import dev.framebench.harness.metrics.RequestPrices;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.profiler.FlameEvent;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.session.Receivers;
import dev.framebench.harness.session.ReceiverKind;
import dev.framebench.harness.session.SenderKind;
import dev.framebench.harness.peer.Topology;
import dev.framebench.error.BadInputException;
import dev.framebench.harness.util.Args;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A run profile ({@code profiles/NAME.properties}): which transports and frames, how the receiver
 * consumes, JMH's forks, warm-up and measurement, and the price of a vCPU-hour the cost tables use. Every key is checked: an unknown key or a bad
 * value is one line naming the key, the value and what is allowed. Command-line flags override it.
 */
public final class RunProfile {
    /** Every key a profile may set, with its help line; the order is the order of {@code --help}. */
    static final Map<String, String> KEYS = new LinkedHashMap<>();
    /**
     * Keys a profile may leave out, with the value they then take. Later capabilities (flames, paced
     * runs, cost inputs) add theirs here, so existing profiles stay valid without naming every key.
     */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    /**
     * AWS EC2 On-Demand, us-east-1, Linux: c7i.large at $0.08925/h for 2 vCPUs (aws.amazon.com/ec2/pricing/on-demand,
     * as listed through 2024-2025; entered 2026-12-01 without re-checking, the build machine has no web access).
     * A current-generation x86 compute instance is what a frame pipeline would run on; set your own rate in a profile.
     */
    public static final String DEFAULT_USD_PER_VCPU_HOUR = "0.0446";

    static {
        KEYS.put("transports", "comma-separated transport names, or 'all'");
        KEYS.put("frames", "comma-separated frame presets");
        KEYS.put("consume", "none | read | verify");
        KEYS.put("senderKinds", "comma-separated: jvm (framebench's sender JVM) and/or chromium (the seed's sender, a page in headless Chromium;"
                + " ws-netty and ws-javaws only); each is paired with each of receiverKinds");
        KEYS.put("receiverKinds", "comma-separated: jvm (the JMH fork) and/or python (the seed's receiver, a Python websockets process;"
                + " ws-netty and ws-javaws only; saturation runs only)");
        DEFAULTS.put("senderKinds", "jvm");
        DEFAULTS.put("receiverKinds", "jvm");
        KEYS.put("options", "transport options key=value;key=value (may be empty); several sets, comma-separated, run every benchmark once per set (a sweep)");
        KEYS.put("forks", "JMH forks per benchmark, 1..100");
        KEYS.put("order", "grouped | interleaved: grouped runs each benchmark's forks back to back (JMH's way); interleaved runs"
                + " rounds of one fork of every benchmark, shuffled each round, so every figure, the ruler too, samples the host over the whole run");
        DEFAULTS.put("order", "grouped");
        KEYS.put("warmupIterations", "JMH warm-up iterations, 0..1000");
        KEYS.put("warmupSeconds", "seconds per warm-up iteration, 1..3600");
        KEYS.put("iterations", "JMH measurement iterations, 1..1000");
        KEYS.put("iterationSeconds", "seconds per measurement iteration, 1..3600");
        KEYS.put("baseline", "true | false: also run the machine's baselines for each frame (memcpy, copy+read, read-only: the rows' memory limits)");
        KEYS.put("timeoutSeconds", "deadline of every blocking step (connect, receive, stop), 1..3600");
        KEYS.put(CpuPinning.KEY, CpuPinning.HELP + " (default none)");
        DEFAULTS.put(CpuPinning.KEY, "none");
        KEYS.put("flames", "true | false: async-profiler flame graphs of both JVMs over the measurement iterations (costs throughput)");
        KEYS.put("flamesEvent", "event of the flame graphs: " + String.join(" | ", FlameEvent.REQUESTABLE) + " (cpu falls back to itimer without perf_events)");
        DEFAULTS.put("flames", "false");
        DEFAULTS.put("flamesEvent", "cpu");
        KEYS.put("usdPerVcpuHour", "US dollars per vCPU-hour for the cost tables, 0.0001..100 (default " + DEFAULT_USD_PER_VCPU_HOUR + ")");
        DEFAULTS.put("usdPerVcpuHour", DEFAULT_USD_PER_VCPU_HOUR);
        // Object-store requests, priced for s3-handoff's rows (RequestPrices): S3 Standard's list price by default.
        KEYS.put("usdPer1000Puts", "US dollars per 1,000 PUT requests, 0..100 (default " + RequestPrices.S3_STANDARD.usdPer1000Puts() + ")");
        KEYS.put("usdPer1000Gets", "US dollars per 1,000 GET requests, 0..100 (default " + RequestPrices.S3_STANDARD.usdPer1000Gets() + ")");
        KEYS.put("usdPer1000Deletes", "US dollars per 1,000 DELETE requests, 0..100 (default " + RequestPrices.S3_STANDARD.usdPer1000Deletes() + ")");
        KEYS.put("requestPriceSource", "where the request prices come from and when they were read (shown beside the prices)");
        DEFAULTS.put("usdPer1000Puts", Double.toString(RequestPrices.S3_STANDARD.usdPer1000Puts()));
        DEFAULTS.put("usdPer1000Gets", Double.toString(RequestPrices.S3_STANDARD.usdPer1000Gets()));
        DEFAULTS.put("usdPer1000Deletes", "0");
        DEFAULTS.put("requestPriceSource", RequestPrices.S3_STANDARD.source());
        // Paced mode (scripts/paced.sh, scripts/capacity.sh): N streams at a fixed frame rate.
        KEYS.put("pacedTransports", "paced mode: comma-separated transport names, or 'all'");
        KEYS.put("pacedStreams", "paced mode: comma-separated stream counts, each 1.." + PacedSchedule.MAX_STREAMS);
        KEYS.put("pacedFps", "paced mode: comma-separated frames per second of each stream, e.g. 30 or 29.97");
        KEYS.put("pacedTopologies", "paced mode: comma-separated topologies: " + Topology.validNames());
        KEYS.put("pacedSenderKinds", "paced mode: comma-separated: jvm and/or chromium (the page keeps each stream's schedule; ws-netty, ws-javaws only)");
        KEYS.put("pacedReceiverKinds", "paced mode: comma-separated: jvm (a receiving thread per stream in the JMH fork) and/or python (a Python"
                + " websockets process per stream; a frame's latency ends at its arrival there; ws-netty, ws-javaws only)");
        DEFAULTS.put("pacedSenderKinds", "jvm");
        DEFAULTS.put("pacedReceiverKinds", "jvm");
        KEYS.put("pacedReceivers", "paced mode: comma-separated: per-stream (a receiver each) and/or fan-in (one many-producer ring)");
        KEYS.put("pacedWarmupSeconds", "paced mode: seconds of the one warm-up iteration, 0..3600 (0: none)");
        KEYS.put("pacedIterations", "paced mode: measurement iterations, 1..1000 (latency percentiles cover all of them)");
        KEYS.put("pacedIterationSeconds", "paced mode: seconds per measurement iteration, 1..3600");
        KEYS.put("paced", "true | false: scripts/bench-all.sh also runs paced mode with the paced* keys below, into paced/");
        DEFAULTS.put("paced", "false");
        DEFAULTS.put("pacedTransports", "tcp,uds-jdk,ws-javaws,shm-ffm,shm-agrona");
        DEFAULTS.put("pacedStreams", "1,4");
        DEFAULTS.put("pacedFps", "30");
        DEFAULTS.put("pacedTopologies", "thread-per-stream,process-per-stream");
        DEFAULTS.put("pacedReceivers", "per-stream");
        DEFAULTS.put("pacedWarmupSeconds", "5");
        DEFAULTS.put("pacedIterations", "4");
        DEFAULTS.put("pacedIterationSeconds", "5");
        KEYS.put("pacedPreTouch", "true | false: paced mode with every JVM's heap fixed (-Xmx = -Xms) and touched at start (-XX:+AlwaysPreTouch),"
                + " so peak RSS that grows over a long run is a leak, not first touch of the heap (the soak profile)");
        DEFAULTS.put("pacedPreTouch", "false");
    }

    private final String name;
    private final Map<String, String> values;
    /** Every value below is parsed once, by the constructor's validation, and read from here after. */
    private List<String> transportNames;
    private List<FramePreset> frames;
    private ConsumeMode consume;
    private List<SenderKind> senderKinds;
    private List<ReceiverKind> receiverKinds;
    private TransportOptions options;
    private List<TransportOptions> optionSets;
    private int forks;
    private boolean interleaved;
    private int warmupIterations;
    private int warmupSeconds;
    private int iterations;
    private int iterationSeconds;
    private boolean baseline;
    private int timeoutSeconds;
    private CpuPinning pinning;
    private boolean flames;
    private String flamesEvent;
    private double usdPerVcpuHour;
    private RequestPrices requestPrices;
    private boolean paced;
    private List<String> pacedTransportNames;
    private List<SenderKind> pacedSenderKinds;
    private List<ReceiverKind> pacedReceiverKinds;
    private List<Integer> pacedStreams;
    private List<PacedSchedule> pacedFps;
    private List<Topology> pacedTopologies;
    private List<Receivers> pacedReceivers;
    private int pacedWarmupSeconds;
    private int pacedIterations;
    private int pacedIterationSeconds;
    private boolean pacedPreTouch;

    private RunProfile(String name, Map<String, String> values, String source) {
        this.name = name;
        this.values = values;
        parse(source);
    }

    /** Loads {@code NAME} from {@code profilesDir}, or a path ending in .properties as given. */
    public static RunProfile load(String nameOrPath, Path profilesDir) {
        Path file = nameOrPath.endsWith(".properties") ? Path.of(nameOrPath) : profilesDir.resolve(nameOrPath + ".properties");
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("unknown profile '" + nameOrPath + "' (no " + file + "); valid profiles: " + available(profilesDir));
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new BadInputException("cannot read profile " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!KEYS.containsKey(key)) {
                throw new BadInputException("profile " + file + ": unknown key '" + key + "'; valid keys: " + String.join(", ", KEYS.keySet()));
            }
            values.put(key, properties.getProperty(key).trim());
        }
        for (String key : KEYS.keySet()) {
            if (!values.containsKey(key) && DEFAULTS.containsKey(key)) {
                values.put(key, DEFAULTS.get(key));
            } else if (!values.containsKey(key)) {
                throw new BadInputException("profile " + file + ": missing key '" + key + "' (" + KEYS.get(key) + ")");
            }
        }
        return new RunProfile(file.getFileName().toString().replace(".properties", ""), values, file.toString());
    }

    static String available(Path profilesDir) {
        try (var files = Files.list(profilesDir)) {
            return String.join(", ", files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".properties")).map(n -> n.replace(".properties", "")).sorted().toList());
        } catch (IOException e) {
            return "none found in " + profilesDir;
        }
    }

    /** Overrides one key with a command-line value (already named in the flag's own terms). */
    public RunProfile with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new RunProfile(name, copy, "command line");
    }

    /** The profile with every flag of {@code flags} that {@code args} has applied (see {@link ProfileFlag}). */
    public RunProfile with(Args args, List<ProfileFlag> flags) {
        RunProfile profile = this;
        for (ProfileFlag flag : flags) {
            if (args.has(flag.flag())) {
                profile = profile.with(flag.key(), flag.switchValue() != null ? flag.switchValue() : args.get(flag.flag(), "").trim());
            }
        }
        return profile;
    }

    private void parse(String source) {
        transportNames = names("transports");
        frames = frameList();
        consume = ConsumeMode.byName(get("consume"));
        optionSets = new ArrayList<>();
        for (String set : get("options").split(",", -1)) {
            TransportOptions parsed = TransportOptions.parse(set);
            parsed.requireKnownBy(TransportRegistry.byNames(String.join(",", transportNames)));
            optionSets.add(parsed);
        }
        options = optionSets.getFirst();
        try {
            senderKinds = new ArrayList<>();
            for (String kind : split("senderKinds")) {
                senderKinds.add(SenderKind.byName(kind));
            }
            receiverKinds = new ArrayList<>();
            for (String kind : split("receiverKinds")) {
                receiverKinds.add(ReceiverKind.byName(kind));
            }
            requireUsable();
            pacedTransportNames = names("pacedTransports");
            pacedSenderKinds = new ArrayList<>();
            for (String kind : split("pacedSenderKinds")) {
                pacedSenderKinds.add(SenderKind.byName(kind));
            }
            pacedReceiverKinds = new ArrayList<>();
            for (String kind : split("pacedReceiverKinds")) {
                pacedReceiverKinds.add(ReceiverKind.byName(kind));
            }
            pacedStreams = new ArrayList<>();
            for (String s : split("pacedStreams")) {
                pacedStreams.add(PacedSchedule.streams(s));
            }
            pacedFps = new ArrayList<>();
            for (String f : split("pacedFps")) {
                pacedFps.add(PacedSchedule.ofFps(f));
            }
            pacedTopologies = new ArrayList<>();
            for (String topology : split("pacedTopologies")) {
                pacedTopologies.add(Topology.byName(topology));
            }
            pacedReceivers = new ArrayList<>();
            for (String r : split("pacedReceivers")) {
                pacedReceivers.add(Receivers.byName(r));
            }
        } catch (BadInputException e) {
            throw new BadInputException(source + ": " + e.getMessage());
        }
        forks = intValue("forks", 1, 100, source);
        warmupIterations = intValue("warmupIterations", 0, 1000, source);
        warmupSeconds = intValue("warmupSeconds", 1, 3600, source);
        iterations = intValue("iterations", 1, 1000, source);
        iterationSeconds = intValue("iterationSeconds", 1, 3600, source);
        timeoutSeconds = intValue("timeoutSeconds", 1, 3600, source);
        try {
            // Resolved here, once: every fork of the run pins to the same CPUs, and env.json records them.
            pinning = CpuPinning.resolve(get(CpuPinning.KEY));
        } catch (BadInputException e) {
            throw new BadInputException(source + ": " + e.getMessage());
        }
        usdPerVcpuHour = doubleValue("usdPerVcpuHour", 0.0001, 100, source);
        requestPrices = new RequestPrices(doubleValue("usdPer1000Puts", 0, 100, source), doubleValue("usdPer1000Gets", 0, 100, source),
                doubleValue("usdPer1000Deletes", 0, 100, source), get("requestPriceSource"));
        paced = bool("paced", source);
        pacedWarmupSeconds = intValue("pacedWarmupSeconds", 0, 3600, source);
        pacedIterations = intValue("pacedIterations", 1, 1000, source);
        pacedIterationSeconds = intValue("pacedIterationSeconds", 1, 3600, source);
        pacedPreTouch = bool("pacedPreTouch", source);
        String order = get("order");
        if (!order.equals("grouped") && !order.equals("interleaved")) {
            throw new BadInputException(source + ": bad value order=" + order + "; allowed: grouped, interleaved");
        }
        interleaved = order.equals("interleaved");
        baseline = bool("baseline", source);
        flames = bool("flames", source);
        flamesEvent = get("flamesEvent");
        if (!FlameEvent.REQUESTABLE.contains(flamesEvent)) {
            throw new BadInputException(source + ": bad value flamesEvent=" + flamesEvent + "; allowed: " + String.join(", ", FlameEvent.REQUESTABLE));
        }
    }

    private boolean bool(String key, String source) {
        String value = get(key);
        if (!value.equals("true") && !value.equals("false")) {
            throw new BadInputException(source + ": bad value " + key + "=" + value + "; allowed: true, false");
        }
        return value.equals("true");
    }

    /** The comma-separated items of {@code key}'s value, trimmed; an empty item or a repeated one is bad input. */
    private List<String> split(String key) {
        String text = get(key);
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new BadInputException("bad value " + key + "=" + text + ": an empty item; write a comma-separated list without empty items"
                        + " (e.g. " + key + "=" + example(key) + ")");
            }
            if (items.contains(trimmed)) {
                throw new BadInputException("bad value " + key + "=" + text + ": '" + trimmed + "' is listed twice; list each once");
            }
            items.add(trimmed);
        }
        return items;
    }

    private static String example(String key) {
        return switch (key) {
            case "frames" -> "1080p-i420,1080p-rgba";
            case "pacedStreams" -> "1,4";
            case "pacedFps" -> "30";
            case "pacedTopologies" -> "thread-per-stream,process-per-stream";
            case "pacedReceivers" -> "per-stream";
            case "senderKinds", "pacedSenderKinds" -> "chromium,jvm";
            case "receiverKinds", "pacedReceiverKinds" -> "python,jvm";
            default -> "tcp,shm-ffm";
        };
    }

    /** Transport names under {@code key}, with 'all' expanded; each must exist. */
    private List<String> names(String key) {
        if (get(key).trim().equals("all")) {
            return TransportRegistry.all().stream().map(Transport::name).toList();
        }
        List<String> names = split(key);
        names.forEach(TransportRegistry::byName);
        return names;
    }

    private List<FramePreset> frameList() {
        List<FramePreset> list = new ArrayList<>();
        for (String f : split("frames")) {
            list.add(FramePreset.byName(f));
        }
        return list;
    }

    public String name() {
        return name;
    }

    /** The raw text of {@code key}, as the profile or a flag wrote it (for env.json and messages). */
    public String get(String key) {
        return values.get(key);
    }

    /** Transport names of saturation runs, 'all' expanded, in the order given. */
    public List<String> transports() {
        return transportNames;
    }

    public List<FramePreset> frames() {
        return frames;
    }

    public ConsumeMode consume() {
        return consume;
    }

    /** The ends of one saturation benchmark: what sends and what receives. */
    public record Ends(SenderKind sender, ReceiverKind receiver) {
        public boolean jvmPair() {
            return sender == SenderKind.JVM && receiver == ReceiverKind.JVM;
        }
    }

    /**
     * Every pair of {@code senderKinds} x {@code receiverKinds} that can run over {@code transport}, in the
     * order listed. A pair with neither end a JVM uses none of framebench's transport code (a browser's
     * WebSocket to Python's), so it runs once, under the first WebSocket transport of the selection.
     */
    public List<Ends> endsOf(String transport) {
        String firstSeedTransport = transportNames.stream().filter(name -> fits(SenderKind.CHROMIUM, ReceiverKind.PYTHON, name)).findFirst().orElse("");
        List<Ends> ends = new ArrayList<>();
        for (SenderKind sender : senderKinds) {
            for (ReceiverKind receiver : receiverKinds) {
                boolean noJvmEnd = sender != SenderKind.JVM && receiver != ReceiverKind.JVM;
                if (fits(sender, receiver, transport) && (!noJvmEnd || transport.equals(firstSeedTransport))) {
                    ends.add(new Ends(sender, receiver));
                }
            }
        }
        return ends;
    }

    /** True when the profile names no end but framebench's JVMs (every profile before the seed's ends). */
    public boolean jvmEndsOnly() {
        return senderKinds.equals(List.of(SenderKind.JVM)) && receiverKinds.equals(List.of(ReceiverKind.JVM));
    }

    /** Paced mode's sender kinds (jvm, chromium), each paired with every paced transport it can drive. */
    public List<SenderKind> pacedSenderKinds() {
        return pacedSenderKinds;
    }

    /** Paced mode's receiver kinds (jvm, python), each paired with every paced transport and sender kind. */
    public List<ReceiverKind> pacedReceiverKinds() {
        return pacedReceiverKinds;
    }

    public List<SenderKind> senderKinds() {
        return senderKinds;
    }

    public List<ReceiverKind> receiverKinds() {
        return receiverKinds;
    }

    private static boolean fits(SenderKind sender, ReceiverKind receiver, String transport) {
        Transport t = TransportRegistry.byName(transport);
        try {
            sender.requireDrives(t);
            receiver.requireReceives(t);
            return true;
        } catch (BadInputException e) {
            return false;
        }
    }

    /** Each kind other than jvm must fit some transport of the selection: else one line, naming the transports it takes. */
    private void requireUsable() {
        String chosen = String.join(", ", transportNames);
        for (SenderKind sender : senderKinds) {
            if (transportNames.stream().noneMatch(t -> fits(sender, ReceiverKind.JVM, t))) {
                throw new BadInputException("sender " + sender + " drives none of the transports chosen (" + chosen + "); it drives "
                        + String.join(", ", sender.transports()) + ": add one with --transport");
            }
        }
        for (ReceiverKind receiver : receiverKinds) {
            if (transportNames.stream().noneMatch(t -> fits(SenderKind.JVM, receiver, t))) {
                throw new BadInputException("receiver " + receiver + " receives none of the transports chosen (" + chosen + "); it receives "
                        + String.join(", ", receiver.transports()) + ": add one with --transport");
            }
        }
    }

    /** The transport options as written (';'-separated; paced runs may list option sets separated by ','). */
    public String optionsText() {
        return get("options");
    }

    public TransportOptions options() {
        return options;
    }

    /**
     * Every option set, in the order given: one unless the options list several, comma-separated (a sweep,
     * {@code shm.ringFrames=2;idle=spin,shm.ringFrames=8;idle=spin}); each set runs every transport x frame.
     */
    public List<TransportOptions> optionSets() {
        return optionSets;
    }

    /**
     * Checks the values of {@link #options()} for every transport x frame of the selection
     * ({@link Transport#validate}): a bad value fails the run before its first benchmark, not after the
     * benchmarks before it. Not done in parsing: a paced profile's option line is a comma list of sets.
     */
    public void requireValidOptions() {
        List<Transport> chosen = TransportRegistry.byNames(String.join(",", transportNames));
        for (TransportOptions set : optionSets) {
            for (FramePreset frame : frames) {
                set.requireValidFor(chosen, frame.frameBytes());
            }
            for (Transport transport : chosen) {
                for (Ends ends : endsOf(transport.name())) {
                    ends.sender().requireSupports(transport, set.forTransport(transport));
                    ends.receiver().requireSupports(transport, set.forTransport(transport));
                }
            }
        }
    }

    public int forks() {
        return forks;
    }

    /** True when the profile runs its benchmarks' forks in shuffled rounds ({@code order=interleaved}). */
    public boolean interleaved() {
        return interleaved;
    }

    public int warmupIterations() {
        return warmupIterations;
    }

    public int warmupSeconds() {
        return warmupSeconds;
    }

    public int iterations() {
        return iterations;
    }

    public int iterationSeconds() {
        return iterationSeconds;
    }

    public boolean baseline() {
        return baseline;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Where the sender and the receiver JVM run, resolved on this host. */
    public CpuPinning pinning() {
        return pinning;
    }

    public boolean flames() {
        return flames;
    }

    public String flamesEvent() {
        return flamesEvent;
    }

    public double usdPerVcpuHour() {
        return usdPerVcpuHour;
    }

    public RequestPrices requestPrices() {
        return requestPrices;
    }

    public boolean paced() {
        return paced;
    }

    public List<String> pacedTransports() {
        return pacedTransportNames;
    }

    public List<Integer> pacedStreams() {
        return pacedStreams;
    }

    public List<PacedSchedule> pacedFps() {
        return pacedFps;
    }

    public List<Topology> pacedTopologies() {
        return pacedTopologies;
    }

    public List<Receivers> pacedReceivers() {
        return pacedReceivers;
    }

    public int pacedWarmupSeconds() {
        return pacedWarmupSeconds;
    }

    public int pacedIterations() {
        return pacedIterations;
    }

    public int pacedIterationSeconds() {
        return pacedIterationSeconds;
    }

    public boolean pacedPreTouch() {
        return pacedPreTouch;
    }

    /** Every key with its value, in {@link #KEYS} order (for env.json). */
    public Map<String, String> values() {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : KEYS.keySet()) {
            if (values.containsKey(key)) {
                ordered.put(key, values.get(key));
            }
        }
        return ordered;
    }

    private double doubleValue(String key, double min, double max, String source) {
        String text = get(key);
        try {
            double value = Double.parseDouble(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below with the allowed range.
        }
        throw new BadInputException(source + ": bad value " + key + "=" + text + "; allowed: a number from " + plain(min) + " to " + plain(max));
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private int intValue(String key, int min, int max, String source) {
        String text = get(key);
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below with the allowed range.
        }
        throw new BadInputException(source + ": bad value " + key + "=" + text + "; allowed: a whole number from " + min + " to " + max);
    }
}
