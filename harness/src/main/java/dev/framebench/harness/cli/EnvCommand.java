package dev.framebench.harness.cli;

import dev.framebench.harness.util.CpuPinning;
import dev.framebench.harness.run.EnvironmentProbe;
import dev.framebench.harness.run.Imdsv2Client;
import dev.framebench.harness.util.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.util.Args;
import dev.framebench.harness.run.RunProfile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code framebench env}: writes env.json for a run and prints the label its results folder is named by. */
public final class EnvCommand {
    public static final String HELP = """
            usage: framebench env --profile NAME [--transport A,B] [--sender K] [--receiver K] [--pin P] [--flames] [--out FILE] [--no-imds]

            Records the machine a run measures (CPU, cores, memory, kernel, distribution, JDK and JVM flags,
            framebench commit and dirty state, the profile, the CPUs each JVM is pinned to (--pin), perf_event_paranoid, kptr_restrict, transparent huge
            pages, and on EC2 the instance type and region) as JSON into FILE (default: standard output), then
            prints the host label (EC2 instance type, else host name) on the last line.
            EC2 is recognised from local files (/sys/devices/virtual/dmi/id/*, /sys/hypervisor/uuid); only then
            is the instance metadata service asked, with a one-second deadline. --no-imds never asks it.
            """;

    private EnvCommand() {
    }

    public static int run(String[] argv, PrintStream out, PrintStream err, Path checkout) {
        Args args = Args.parse("framebench env", argv, Set.of("--profile", "--transport", "--sender", "--receiver", "--pin", "--out", "--root"), Set.of("--flames", "--no-imds", "--help"));
        if (args.has("--help")) {
            out.print(HELP);
            return 0;
        }
        RunProfile profile = RunProfile.load(args.get("--profile", "quick"), checkout.resolve("profiles"));
        if (args.has("--transport")) {
            profile = profile.with("transports", args.get("--transport", ""));
        }
        if (args.has("--sender")) {
            profile = profile.with("senderKinds", args.get("--sender", ""));
        }
        if (args.has("--receiver")) {
            profile = profile.with("receiverKinds", args.get("--receiver", ""));
        }
        if (args.has("--pin")) {
            profile = profile.with(CpuPinning.KEY, args.get("--pin", ""));
        }
        if (args.has("--flames")) {
            profile = profile.with("flames", "true");
        }
        boolean imds = !args.has("--no-imds");
        // --root is for trying the detection on a copy of another machine's files; tests use the probe directly.
        EnvironmentProbe probe = new EnvironmentProbe(Path.of(args.get("--root", "/")), checkout,
                () -> imds ? new Imdsv2Client() : () -> Map.of("error", "not asked (--no-imds)"));
        ObjectNode env = probe.record(profile.name(), profile.values(), profile.timeoutSeconds());
        try {
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(env) + "\n";
            if (args.has("--out")) {
                AtomicFiles.writeString(Path.of(args.get("--out", "")), json);
            } else {
                out.print(json);
            }
        } catch (IOException e) {
            err.println("framebench: cannot write " + args.get("--out", "env.json") + ": " + e.getMessage());
            return 1;
        }
        out.println(env.path("label").asText());
        return 0;
    }
}
