package dev.framebench.harness.util;

import dev.framebench.error.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a run's two JVMs may run (option {@code pin}, flag {@code --pin}): the sender's CPUs and the
 * receiver's, or none. IPC benchmarks pin their ends, and say so, because placement moves a ring's
 * throughput and latency: two ends on one core's hyperthreads share its caches; two ends the scheduler may
 * move share nothing for long.
 * <ul>
 *   <li>{@code none}: the scheduler places both (the default);</li>
 *   <li>{@code auto}: on a host with at least {@value #AUTO_MIN_CPUS} CPUs this process may use, the sender and
 *       the receiver each on a CPU of its own physical core, both cores in one package, the core of CPU 0 (where
 *       interrupts land) avoided; below that, none, and the record says why;</li>
 *   <li>{@code sender=CPUS,receiver=CPUS}: as given, in {@link CpuList} form ({@code sender=2,receiver=3},
 *       {@code sender=0-1,receiver=2-3}); every CPU must be one this process may run on.</li>
 * </ul>
 * Resolved once, by the command that plans the run; the forks receive the resolved form
 * ({@link #toProperty()}) as {@value #PROPERTY}, so every fork of a run pins to the same CPUs.
 *
 * @param requested what was asked for, as written
 * @param sender    the sender JVM's CPUs (every sender thread of an in-process transport), empty when unpinned
 * @param receiver  the receiver JVM's CPUs (the JMH fork), empty when unpinned
 * @param note      how {@code requested} was resolved, for the results (e.g. why auto pinned nothing)
 */
public record CpuPinning(String requested, BitSet sender, BitSet receiver, String note) {
    static final int AUTO_MIN_CPUS = 4;
    public static final String KEY = "pin";
    public static final String PROPERTY = "framebench.pin";
    public static final String HELP = "none | auto | sender=CPUS,receiver=CPUS: pin the sender and the receiver JVM to CPUs"
            + " (CPUS as taskset -c: 2 or 0-1 or 0,2); auto picks two physical cores where there are at least " + AUTO_MIN_CPUS + " CPUs";
    private static final Pattern EXPLICIT = Pattern.compile("sender=([0-9,\\-\\s]+),\\s*receiver=([0-9,\\-\\s]+)");
    private static final Pattern EXPLICIT_RECEIVER_FIRST = Pattern.compile("receiver=([0-9,\\-\\s]+),\\s*sender=([0-9,\\-\\s]+)");
    private static final BitSet ANY_CPU = CpuList.parse("0-1023");
    private static final Path CPU_SYSFS = Path.of("/sys/devices/system/cpu");

    public static CpuPinning none() {
        return new CpuPinning("none", new BitSet(), new BitSet(), "unpinned");
    }

    public boolean pinned() {
        return !sender.isEmpty();
    }

    /** One line for logs and the results README. */
    public String describe() {
        return pinned() ? "sender CPUs " + CpuList.format(sender) + ", receiver CPUs " + CpuList.format(receiver) + " (" + KEY + "=" + requested + ")"
                : "none (" + KEY + "=" + requested + (note.equals("unpinned") ? "" : ": " + note) + ")";
    }

    /** The resolved form a fork reads back with {@link #fromProperty}. */
    public String toProperty() {
        return pinned() ? "sender=" + CpuList.format(sender) + ",receiver=" + CpuList.format(receiver) : "none";
    }

    /** What the command resolved for this fork, or none without the property. */
    public static CpuPinning fromProperty() {
        String value = System.getProperty(PROPERTY, "none");
        // Already checked against the launching command's CPUs; a process started by a pinned one may use fewer.
        return value.equals("none") ? none() : explicit(value, ANY_CPU);
    }

    /**
     * Resolves {@code requested} on this host against {@code allowed} (the CPUs this process may use);
     * throws {@link BadInputException}, one line, for a value that cannot be honoured.
     */
    public static CpuPinning resolve(String requested, BitSet allowed) {
        String value = requested.trim();
        if (value.equals("none") || value.isEmpty()) {
            return none();
        }
        if (value.equals("auto")) {
            return auto(allowed, coresByCpu(allowed));
        }
        return explicit(value, allowed);
    }

    public static CpuPinning resolve(String requested) {
        return resolve(requested, CpuAffinity.ofCurrentThread());
    }

    static CpuPinning explicit(String value, BitSet allowed) {
        Matcher m = EXPLICIT.matcher(value);
        boolean senderFirst = m.matches();
        if (!senderFirst) {
            m = EXPLICIT_RECEIVER_FIRST.matcher(value);
            if (!m.matches()) {
                throw new BadInputException("pin '" + value + "' is not one of none, auto, sender=CPUS,receiver=CPUS"
                        + " (e.g. --pin sender=2,receiver=3); CPUs this process may use: " + CpuList.format(allowed));
            }
        }
        BitSet sender = cpus(senderFirst ? m.group(1) : m.group(2), "sender", value, allowed);
        BitSet receiver = cpus(senderFirst ? m.group(2) : m.group(1), "receiver", value, allowed);
        return new CpuPinning(value, sender, receiver, "as given");
    }

    /**
     * Two CPUs of distinct physical cores of one package, CPU 0's core avoided: the receiver on the last such core,
     * the sender on the one before it. {@code cores} maps each allowed CPU to its "package/core" key.
     */
    static CpuPinning auto(BitSet allowed, Map<Integer, String> cores) {
        if (allowed.cardinality() < AUTO_MIN_CPUS) {
            return new CpuPinning("auto", new BitSet(), new BitSet(), "this process may use " + allowed.cardinality()
                    + " CPUs (" + CpuList.format(allowed) + "); auto pins only where there are at least " + AUTO_MIN_CPUS);
        }
        // First CPU of each physical core, per package, in CPU order; CPU 0's core (its hyperthread too) left out.
        String interruptCore = cores.get(0);
        Map<String, Map<String, Integer>> firstCpuOfCore = new TreeMap<>();
        for (int cpu = allowed.nextSetBit(1); cpu >= 0; cpu = allowed.nextSetBit(cpu + 1)) {
            String core = cores.getOrDefault(cpu, "0/cpu" + cpu);
            if (core.equals(interruptCore)) {
                continue;
            }
            String pkg = core.substring(0, core.indexOf('/'));
            firstCpuOfCore.computeIfAbsent(pkg, k -> new TreeMap<>()).putIfAbsent(core, cpu);
        }
        for (Map<String, Integer> packageCores : firstCpuOfCore.values()) {
            if (packageCores.size() >= 2) {
                Integer[] firsts = new LinkedHashSet<>(packageCores.values()).stream().sorted().toArray(Integer[]::new);
                BitSet sender = new BitSet();
                sender.set(firsts[firsts.length - 2]);
                BitSet receiver = new BitSet();
                receiver.set(firsts[firsts.length - 1]);
                return new CpuPinning("auto", sender, receiver, "two physical cores of one package, CPU 0's core avoided");
            }
        }
        return new CpuPinning("auto", new BitSet(), new BitSet(), "no package has two physical cores besides CPU 0's among "
                + CpuList.format(allowed));
    }

    private static BitSet cpus(String list, String side, String value, BitSet allowed) {
        BitSet cpus;
        try {
            cpus = CpuList.parse(list);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("pin '" + value + "': the " + side + "'s CPUs: " + e.getMessage()
                    + "; write them as taskset -c does, e.g. 2 or 0-1 or 0,2");
        }
        BitSet outside = (BitSet) cpus.clone();
        outside.andNot(allowed);
        if (!outside.isEmpty()) {
            throw new BadInputException("pin '" + value + "': the " + side + "'s CPUs " + CpuList.format(outside)
                    + " are not ones this process may run on (" + CpuList.format(allowed) + "); choose among those");
        }
        return cpus;
    }

    /** Each allowed CPU's "package/core" from sysfs; a CPU without topology files counts as a core of its own. */
    private static Map<Integer, String> coresByCpu(BitSet allowed) {
        Map<Integer, String> cores = new TreeMap<>();
        for (int cpu = allowed.nextSetBit(0); cpu >= 0; cpu = allowed.nextSetBit(cpu + 1)) {
            Path topology = CPU_SYSFS.resolve("cpu" + cpu).resolve("topology");
            try {
                cores.put(cpu, Files.readString(topology.resolve("physical_package_id")).trim() + "/"
                        + Files.readString(topology.resolve("core_id")).trim());
            } catch (IOException e) {
                cores.put(cpu, "0/cpu" + cpu);
            }
        }
        return cores;
    }
}
