package dev.framebench.harness.run;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.profiler.FlameEvent;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.session.Receivers;
import dev.framebench.harness.session.Topology;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        KEYS.put("options", "transport options key=value;key=value (may be empty)");
        KEYS.put("forks", "JMH forks per benchmark, 1..100");
        KEYS.put("order", "grouped | interleaved: grouped runs each benchmark's forks back to back (JMH's way); interleaved runs"
                + " rounds of one fork of every benchmark, shuffled each round, so every figure, the ruler too, samples the host over the whole run");
        DEFAULTS.put("order", "grouped");
        KEYS.put("warmupIterations", "JMH warm-up iterations, 0..1000");
        KEYS.put("warmupSeconds", "seconds per warm-up iteration, 1..3600");
        KEYS.put("iterations", "JMH measurement iterations, 1..1000");
        KEYS.put("iterationSeconds", "seconds per measurement iteration, 1..3600");
        KEYS.put("baseline", "true | false: also run the single-core memcpy baseline for each frame");
        KEYS.put("timeoutSeconds", "deadline of every blocking step (connect, receive, stop), 1..3600");
        KEYS.put("flames", "true | false: async-profiler flame graphs of both JVMs over the measurement iterations (costs throughput)");
        KEYS.put("flamesEvent", "event of the flame graphs: " + String.join(" | ", FlameEvent.REQUESTABLE) + " (cpu falls back to itimer without perf_events)");
        DEFAULTS.put("flames", "false");
        DEFAULTS.put("flamesEvent", "cpu");
        KEYS.put("usdPerVcpuHour", "US dollars per vCPU-hour for the cost tables, 0.0001..100 (default " + DEFAULT_USD_PER_VCPU_HOUR + ")");
        DEFAULTS.put("usdPerVcpuHour", DEFAULT_USD_PER_VCPU_HOUR);
        // Paced mode (scripts/paced.sh, scripts/capacity.sh): N streams at a fixed frame rate.
        KEYS.put("pacedTransports", "paced mode: comma-separated transport names, or 'all'");
        KEYS.put("pacedStreams", "paced mode: comma-separated stream counts, each 1.." + PacedSchedule.MAX_STREAMS);
        KEYS.put("pacedFps", "paced mode: comma-separated frames per second of each stream, e.g. 30 or 29.97");
        KEYS.put("pacedTopologies", "paced mode: comma-separated topologies: " + Topology.validNames());
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
    }

    private final String name;
    private final Map<String, String> values;

    private RunProfile(String name, Map<String, String> values) {
        this.name = name;
        this.values = values;
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
        RunProfile profile = new RunProfile(file.getFileName().toString().replace(".properties", ""), values);
        profile.validate(file.toString());
        return profile;
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
        RunProfile profile = new RunProfile(name, copy);
        profile.validate("command line");
        return profile;
    }

    private void validate(String source) {
        transports();
        frames();
        ConsumeMode.byName(get("consume"));
        TransportOptions.parse(get("options")).requireKnownBy(TransportRegistry.byNames(transports()));
        intValue("forks", 1, 100, source);
        intValue("warmupIterations", 0, 1000, source);
        intValue("warmupSeconds", 1, 3600, source);
        intValue("iterations", 1, 1000, source);
        intValue("iterationSeconds", 1, 3600, source);
        intValue("timeoutSeconds", 1, 3600, source);
        doubleValue("usdPerVcpuHour", 0.0001, 100, source);
        String paced = get("paced");
        if (!paced.equals("true") && !paced.equals("false")) {
            throw new BadInputException(source + ": bad value paced=" + paced + "; allowed: true, false");
        }
        intValue("pacedWarmupSeconds", 0, 3600, source);
        intValue("pacedIterations", 1, 1000, source);
        intValue("pacedIterationSeconds", 1, 3600, source);
        try {
            PacedSchedule.check(get("pacedStreams"), get("pacedFps"), get("pacedTopologies"));
            list("pacedTransports");
            for (String r : get("pacedReceivers").split(",")) {
                Receivers.byName(r.trim());
            }
        } catch (BadInputException e) {
            throw new BadInputException(source + ": " + e.getMessage());
        }
        String order = get("order");
        if (!order.equals("grouped") && !order.equals("interleaved")) {
            throw new BadInputException(source + ": bad value order=" + order + "; allowed: grouped, interleaved");
        }
        String baseline = get("baseline");
        if (!baseline.equals("true") && !baseline.equals("false")) {
            throw new BadInputException(source + ": bad value baseline=" + baseline + "; allowed: true, false");
        }
        String flames = get("flames");
        if (!flames.equals("true") && !flames.equals("false")) {
            throw new BadInputException(source + ": bad value flames=" + flames + "; allowed: true, false");
        }
        if (!FlameEvent.REQUESTABLE.contains(get("flamesEvent"))) {
            throw new BadInputException(source + ": bad value flamesEvent=" + get("flamesEvent") + "; allowed: " + String.join(", ", FlameEvent.REQUESTABLE));
        }
    }

    public String name() {
        return name;
    }

    public String get(String key) {
        return values.get(key);
    }

    /** Transport names, comma-separated, with 'all' expanded. */
    public String transports() {
        return list("transports");
    }

    /** The transport list under {@code key}, comma-separated, with 'all' expanded. */
    public String list(String key) {
        String text = get(key);
        if (text.equals("all")) {
            return String.join(",", TransportRegistry.all().stream().map(t -> t.name()).toList());
        }
        TransportRegistry.byNames(text);
        return text.replace(" ", "");
    }

    public String frames() {
        String text = get("frames").replace(" ", "");
        for (String f : text.split(",")) {
            FramePreset.byName(f);
        }
        return text;
    }

    /** True when the profile runs its benchmarks' forks in shuffled rounds ({@code order=interleaved}). */
    public boolean interleaved() {
        return get("order").equals("interleaved");
    }

    public int intValue(String key) {
        return Integer.parseInt(get(key));
    }

    public double doubleValue(String key) {
        return Double.parseDouble(get(key));
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
