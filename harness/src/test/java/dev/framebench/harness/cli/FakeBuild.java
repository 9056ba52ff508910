package dev.framebench.harness.cli;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A stand-in for a build's benchmarks.jar, compiled by the test: a {@code dev.framebench.harness.cli.Main}
 * that lists transports as framebench does and whose {@code bench} writes a JMH JSON with figures the test
 * chose (no JMH, no sender: a run takes one JVM start), or fails, or refuses its input. The comparison drives
 * it exactly as it drives a real build, so its orchestration, statistics and files are tested in seconds.
 */
final class FakeBuild {
    /** What the fake's {@code bench} does. */
    enum Behaviour { MEASURE, FAIL, REFUSE }

    private FakeBuild() {
    }

    /**
     * @param transports the names {@code framebench transports} lists
     * @param factor     GB/s of every run is 3 x factor (with a little noise per round and side), CPU s/GB 0.5 / factor
     * @param failing    a transport whose runs fail (exit 1), or TRANSPORT@ROUND for one round only, or null
     */
    static Path jar(Path dir, String name, String transports, double factor, Behaviour behaviour, String failing) throws IOException {
        return jar(dir, name, transports, factor, factor, behaviour, failing);
    }

    /** As above, with another factor for the runs of a confirmation (raw/.../confirm-round-K/): a change that comes and goes. */
    static Path jar(Path dir, String name, String transports, double factor, double confirmFactor, Behaviour behaviour, String failing)
            throws IOException {
        Path src = Files.createDirectories(dir.resolve(name + "-src/dev/framebench/harness/cli"));
        Files.writeString(src.resolve("Main.java"), SOURCE.replace("TRANSPORTS", transports).replace("CONFIRM_FACTOR", Double.toString(confirmFactor)).replace("FACTOR", Double.toString(factor))
                .replace("BEHAVIOUR", behaviour.name()).replace("FAILING", failing == null ? "" : failing));
        Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(), src.resolve("Main.java").toString());
        if (status != 0) {
            throw new IllegalStateException("fake build did not compile: " + diagnostics);
        }
        Path jar = dir.resolve(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("dev/framebench/harness/cli/Main.class"));
            out.write(Files.readAllBytes(classes.resolve("dev/framebench/harness/cli/Main.class")));
            out.closeEntry();
        }
        return jar;
    }

    private static final String SOURCE = """
            package dev.framebench.harness.cli;

            import java.nio.file.Files;
            import java.nio.file.Path;

            public class Main {
                public static void main(String[] args) throws Exception {
                    if (args[0].equals("transports")) {
                        for (String t : "TRANSPORTS".split(",")) {
                            System.out.println(t + "  a fake transport");
                            System.out.println("   fake.option: none");
                        }
                        System.out.println();
                        System.out.println("frames: 720p-i420, 1080p-i420, 1080p-rgba");
                        return;
                    }
                    String transport = flag(args, "--transport");
                    String frame = flag(args, "--frame");
                    Path out = Path.of(flag(args, "--out"));
                    if ("BEHAVIOUR".equals("REFUSE")) {
                        System.err.println("framebench: unknown flag --forks; valid: --transport --frame");
                        System.exit(2);
                    }
                    String path = out.toString();
                    int round = Integer.parseInt(path.replaceAll(".*round-(\\\\d+).*", "$1"));
                    if ("BEHAVIOUR".equals("FAIL") || transport.equals("FAILING") || (transport + "@" + round).equals("FAILING")) {
                        System.err.println("framebench: benchmark failed, no results written: " + transport + ": the receiver stalled (log: " + out + ".failed.log)");
                        System.exit(1);
                    }
                    double noise = 1 + 0.02 * Math.sin(round * 7 + (path.contains("/head/") ? 3 : 0) + transport.length());
                    double factor = path.contains("confirm-round-") ? CONFIRM_FACTOR : FACTOR;
                    double gbps = 3 * factor * noise;
                    double cpu = 0.5 / factor / noise;
                    Files.createDirectories(out);
                    Files.writeString(out.resolve("jmh.json"), "[{\\"benchmark\\": \\"dev.framebench.harness.jmh.FrameThroughputBenchmark.receiveFrame\\","
                            + " \\"forks\\": 1, \\"params\\": {\\"transport\\": \\"" + transport + "\\", \\"frame\\": \\"" + frame + "\\", \\"consume\\": \\"read\\"},"
                            + " \\"primaryMetric\\": {\\"score\\": " + gbps * 300 + ", \\"rawData\\": [[" + gbps * 300 + "]]},"
                            + " \\"secondaryMetrics\\": {"
                            + metric("gbps", gbps) + ", " + metric("cpu.total.sPerGB", cpu) + ", " + metric("cpu.sender.sPerGB", cpu / 2) + ", "
                            + metric("cpu.receiver.sPerGB", cpu / 2) + "}}]");
                    System.out.println("[framebench] results: " + out.resolve("jmh.json"));
                }

                static String metric(String name, double value) {
                    return "\\"" + name + "\\": {\\"score\\": " + value + ", \\"rawData\\": [[" + value + ", " + value + "]]}";
                }

                static String flag(String[] args, String name) {
                    for (int i = 0; i < args.length - 1; i++) {
                        if (args[i].equals(name)) {
                            return args[i + 1];
                        }
                    }
                    throw new IllegalArgumentException("no " + name);
                }
            }
            """;
}
