package dev.framebench.harness.run;

import dev.framebench.harness.util.CpuList;
import dev.framebench.harness.util.CpuPinning;
import dev.framebench.error.BadInputException;
import dev.framebench.harness.browser.ChromiumBinary;
import dev.framebench.harness.python.PythonInterpreter;
import dev.framebench.harness.util.Executables;
import dev.framebench.transport.host.Ec2Detector;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.jmh.ForkJvm;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the machine a run measured, as {@code env.json}: CPU, cores, memory, kernel, distribution, JDK and
 * JVM flags, framebench's commit and whether the tree was dirty, the profile, the kernel settings that
 * change profiling and memory behaviour, and on EC2 the instance type and region.
 *
 * <p>System files are read under {@code sysRoot} ({@code /} in use; a folder of fake files in tests). The
 * instance metadata service is asked only when {@link Ec2Detector} found EC2 in those files.
 */
public final class EnvironmentProbe {
    private static final Pattern THP_CHOICE = Pattern.compile("\\[([a-z+]+)]");

    private final Path sysRoot;
    private final Path checkout;
    private final Supplier<InstanceMetadata> metadata;

    /**
     * @param sysRoot  where {@code proc/}, {@code sys/} and {@code etc/} are read
     * @param checkout the framebench checkout, for its git commit
     * @param metadata the metadata service, created only on EC2
     */
    public EnvironmentProbe(Path sysRoot, Path checkout, Supplier<InstanceMetadata> metadata) {
        this.sysRoot = sysRoot;
        this.checkout = checkout;
        this.metadata = metadata;
    }

    /** Set by the scripts: the names of JAVA_TOOL_OPTIONS-like variables they unset before starting the JVMs. */
    static final String DROPPED_JVM_ENV = "FRAMEBENCH_DROPPED_JVM_ENV";

    /** The environment, with the profile's name and every value it ran with. */
    public ObjectNode record(String profileName, Map<String, String> profileValues, long timeoutSeconds) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode env = json.objectNode();
        env.put("recordedUtc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        String hostname = firstLine("proc/sys/kernel/hostname").or(() -> firstLine("etc/hostname")).orElse("unknown");
        env.put("hostname", hostname);

        ObjectNode cpu = env.putObject("cpu");
        String cpuinfo = read("proc/cpuinfo").orElse("");
        cpu.put("model", cpuModel(cpuinfo));
        cpu.put("logicalCores", (int) cpuinfo.lines().filter(l -> l.startsWith("processor")).count());
        cpu.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        env.put("memoryMB", memTotalMb(read("proc/meminfo").orElse("")));
        env.put("kernel", firstLine("proc/sys/kernel/osrelease").orElse("unknown"));
        env.put("distribution", distribution(read("etc/os-release").orElse("")));

        ObjectNode jdk = env.putObject("jdk");
        jdk.put("version", System.getProperty("java.runtime.version"));
        jdk.put("vendor", System.getProperty("java.vm.vendor"));
        jdk.put("vm", System.getProperty("java.vm.name"));
        jdk.put("home", System.getProperty("java.home"));
        jdk.putPOJO("launcherFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        CpuPinning pinning = CpuPinning.resolve(profileValues.getOrDefault(CpuPinning.KEY, "none"));
        jdk.putPOJO("forkFlags", ForkJvm.args(timeoutSeconds, pinning));
        // Flags a user's environment would have slipped into every JVM: the scripts drop them (so every
        // figure comes from the flags above) and name them here without their values, which may be secrets.
        String dropped = System.getenv().getOrDefault(DROPPED_JVM_ENV, "").trim();
        jdk.putPOJO("droppedEnvironmentFlags", dropped.isEmpty() ? List.of() : List.of(dropped.split("\\s+")));

        ObjectNode framebench = env.putObject("framebench");
        framebench.put("commit", git("rev-parse", "HEAD").orElse("unknown"));
        Optional<String> status = git("status", "--porcelain", "--untracked-files=no");
        if (status.isPresent()) {
            framebench.put("dirty", !status.get().isBlank());
        } else {
            framebench.putNull("dirty");
        }

        // Where the two JVMs ran: placement moves a ring's figures, so a published run says it.
        ObjectNode pin = env.putObject("pinning");
        pin.put("requested", pinning.requested());
        pin.put("sender", CpuList.format(pinning.sender()));
        pin.put("receiver", CpuList.format(pinning.receiver()));
        pin.put("note", pinning.note());
        pin.put("summary", pinning.describe());

        ObjectNode profile = env.putObject("profile");
        profile.put("name", profileName);
        profileValues.forEach(profile::put);

        // The seed's ends are programs of this machine too: a published figure names the browser and the Python that made it.
        List<String> kinds = List.of((profileValues.getOrDefault("senderKinds", "") + "," + profileValues.getOrDefault("pacedSenderKinds", "")
                + "," + profileValues.getOrDefault("receiverKinds", "") + "," + profileValues.getOrDefault("pacedReceiverKinds", "")).split(","));
        if (kinds.contains("chromium") || kinds.contains("python")) {
            ObjectNode ends = env.putObject("seedEnds");
            if (kinds.contains("chromium")) {
                String chromium;
                try {
                    Path binary = ChromiumBinary.find();
                    chromium = Executables.output(List.of(binary.toString(), "--version")).orElse("did not say its version: " + binary);
                } catch (BadInputException e) {
                    chromium = "not found: " + e.getMessage();
                }
                ends.put("chromium", chromium);
            }
            if (kinds.contains("python")) {
                Path python = PythonInterpreter.fromEnvironment(System.getenv()).path();
                ends.put("python", Executables.output(List.of(python.toString(), "-c",
                                "import sys, websockets; print('Python', sys.version.split()[0], 'websockets', websockets.__version__)"))
                        .orElse("not usable: " + python));
            }
        }

        ObjectNode kernel = env.putObject("kernelSettings");
        kernel.put("perf_event_paranoid", firstLine("proc/sys/kernel/perf_event_paranoid").orElse("unknown"));
        kernel.put("kptr_restrict", firstLine("proc/sys/kernel/kptr_restrict").orElse("unknown"));
        kernel.put("transparent_hugepage", thp("sys/kernel/mm/transparent_hugepage/enabled"));
        kernel.put("transparent_hugepage_defrag", thp("sys/kernel/mm/transparent_hugepage/defrag"));

        ObjectNode ec2 = env.putObject("ec2");
        Optional<String> evidence = new Ec2Detector(sysRoot).evidence();
        ec2.put("detected", evidence.isPresent());
        if (evidence.isPresent()) {
            ec2.put("evidence", evidence.get());
            metadata.get().fetch().forEach(ec2::put);
        }
        env.put("label", label(env));
        return env;
    }

    /** What names the host in a results folder: the EC2 instance type where known, else the host name. */
    static String label(ObjectNode env) {
        String type = env.path("ec2").path("instanceType").asText("");
        String label = type.isEmpty() ? env.path("hostname").asText("host") : type;
        label = label.replaceAll("[^A-Za-z0-9.-]", "-");
        return label.isEmpty() ? "host" : label;
    }

    static String cpuModel(String cpuinfo) {
        for (String key : List.of("model name", "Model", "Hardware", "cpu model", "CPU part")) {
            for (String line : cpuinfo.lines().toList()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        }
        return "unknown";
    }

    static long memTotalMb(String meminfo) {
        for (String line : meminfo.lines().toList()) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024 / 1_000_000;
            }
        }
        return -1;
    }

    static String distribution(String osRelease) {
        for (String line : osRelease.lines().toList()) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
            }
        }
        return "unknown";
    }

    private String thp(String relative) {
        String text = firstLine(relative).orElse("unknown");
        Matcher m = THP_CHOICE.matcher(text);
        return m.find() ? m.group(1) : text;
    }

    private Optional<String> read(String relative) {
        Path file = sysRoot.resolve(relative);
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<String> firstLine(String relative) {
        return read(relative).flatMap(s -> s.lines().findFirst()).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Output of a git command in the checkout, or empty when git or the repository is not there. */
    private Optional<String> git(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", checkout.toString()));
        command.addAll(List.of(args));
        return Executables.output(command);
    }
}
