package dev.framebench.harness.cli;

import dev.framebench.error.BadInputException;
import dev.framebench.harness.peer.Jvm;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.JmhJson;
import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.util.ExitStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One of the two builds a comparison runs: its benchmarks.jar, the checkout it was built from, and what it
 * knows. Each of its runs is {@code framebench bench} of one transport x frame, one fork, in a JVM of its own
 * on that jar ({@link #bench}), started as scripts/bench.sh starts it, so each build measures with its own
 * code, sender peers and JMH forks included.
 *
 * @param side       "base" or "head"
 * @param transports the transports its registry lists, in its order
 * @param frames     the frame presets it knows
 */
record BuildUnderTest(String side, Path jar, Path home, Set<String> transports, Set<String> frames) {
    /** The run in progress, so a signal to the comparison can end it and its JMH fork and sender with it. */
    private static final AtomicReference<Process> RUNNING = new AtomicReference<>();
    private static final long INVENTORY_SECONDS = 120;

    /** JMH's refusal to start while another JMH run on this machine holds its lock file. */
    static final String JMH_LOCK_BUSY = "Unable to acquire the JMH lock";

    /**
     * What one run ended with: its exit status, its row of its jmh.json (null when it failed), the line that
     * says why, and whether it never started because another benchmark held JMH's lock.
     */
    record Outcome(int status, BenchmarkRow row, String reason, boolean lockBusy) {
        Outcome(int status, BenchmarkRow row, String reason) {
            this(status, row, reason, false);
        }

        boolean succeeded() {
            return status == ExitStatus.OK && row != null;
        }
    }

    /**
     * Looks at the jar: runs {@code framebench transports} in it to learn its transports and frames. A jar that
     * is not there, or not a framebench benchmarks.jar, is bad input.
     *
     * @param home the checkout it was built from (its profiles), or null: found beside the jar, else this one's
     */
    static BuildUnderTest inspect(String side, Path jar, Path home) {
        Path absolute = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new BadInputException("compare: --" + side + "-jar " + jar + ": no such file; give a benchmarks.jar (harness/target/benchmarks.jar of a build)");
        }
        Path checkout = home != null ? home.toAbsolutePath().normalize() : homeOf(absolute);
        List<String> command = new ArrayList<>(command(absolute, checkout));
        command.add("transports");
        String listing;
        int status;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(INVENTORY_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BadInputException("compare: " + absolute + " did not list its transports within " + INVENTORY_SECONDS + " s");
            }
            status = p.exitValue();
        } catch (IOException e) {
            throw new BadInputException("compare: cannot start java on " + absolute + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInputException("compare: interrupted while looking at " + absolute);
        }
        Set<String> transports = new LinkedHashSet<>();
        Set<String> frames = new LinkedHashSet<>();
        boolean listed = false;
        for (String line : listing.lines().toList()) {
            if (line.startsWith("frames: ")) {
                frames.addAll(List.of(line.substring("frames: ".length()).trim().split(",\\s*")));
                listed = true;
            } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !listed) {
                transports.add(line.trim().split("\\s+")[0]);
            }
        }
        if (status != 0 || !listed || transports.isEmpty()) {
            throw new BadInputException("compare: " + absolute + " is not a framebench benchmarks.jar ('framebench transports' in it "
                    + ExitStatus.describe(status) + ": " + listing.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output") + ")");
        }
        return new BuildUnderTest(side, absolute, checkout, transports, frames);
    }

    /** The checkout a jar at {@code <checkout>/harness/target/benchmarks.jar} came from; else the one this command runs from. */
    static Path homeOf(Path jar) {
        Path target = jar.getParent();
        Path checkout = target == null || target.getParent() == null ? null : target.getParent().getParent();
        if (checkout != null && Files.isDirectory(checkout.resolve("profiles")) && Files.isRegularFile(checkout.resolve("pom.xml"))) {
            return checkout;
        }
        return FramebenchHome.root();
    }

    /** The java command of a run on this jar: the options scripts/bench.sh passes, the checkout as framebench.home. */
    static List<String> command(Path jar, Path home) {
        List<String> command = new ArrayList<>(List.of(Jvm.javaBinary(), "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"));
        // JMH 1.37 reads fields through sun.misc.Unsafe; JDK 24+ warns on every start unless allowed (scripts/lib/common.sh).
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        // JMH's own switch to start beside another JMH run: passed on when the comparison was given it.
        if (Boolean.getBoolean("jmh.ignoreLock")) {
            command.add("-Djmh.ignoreLock=true");
        }
        command.addAll(List.of("-Dframebench.home=" + home, "-cp", jar.toString(), Main.class.getName()));
        return command;
    }

    /**
     * {@code framebench bench --profile PROFILE --transport T --frame F --forks 1 --no-baseline --out OUT}
     * in this build, its terminal output into {@code log}; ended after {@code deadlineSeconds}.
     */
    Outcome bench(Path profile, String transport, String frame, String options, Path out, Path log, long deadlineSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(command(jar, home));
        command.addAll(List.of("bench", "--profile", profile.toString(), "--transport", transport, "--frame", frame,
                "--forks", "1", "--no-baseline", "--out", out.toString()));
        if (!options.isEmpty()) {
            command.addAll(List.of("--options", options));
        }
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        RUNNING.set(p);
        try {
            if (!p.waitFor(deadlineSeconds, TimeUnit.SECONDS)) {
                end(p);
                return new Outcome(ExitStatus.FAILED, null, "did not finish within " + deadlineSeconds + " s");
            }
        } finally {
            RUNNING.set(null);
        }
        int status = p.exitValue();
        Path jmh = out.resolve("jmh.json");
        if (status == ExitStatus.OK && Files.isRegularFile(jmh)) {
            Optional<BenchmarkRow> row = JmhJson.read(jmh).row(transport, frame);
            if (row.isPresent()) {
                return new Outcome(status, row.get(), "");
            }
            return new Outcome(ExitStatus.FAILED, null, "its jmh.json has no " + transport + " " + frame + " row");
        }
        String why = lastWord(log);
        // The run's own "(log: ...)" names a file inside the comparison's folder; the comparison names the run's log itself.
        why = why.replaceAll("\\s*\\(log: [^)]*\\)\\s*$", "");
        return new Outcome(status == ExitStatus.OK ? ExitStatus.FAILED : status, null, ExitStatus.describe(status) + ": " + why,
                why.contains(JMH_LOCK_BUSY));
    }

    /** The line a failed run ended on that says why (framebench's own one-line errors), else its last line. */
    static String lastWord(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            return lines.stream().filter(l -> l.trim().startsWith("framebench:")).reduce((a, b) -> b)
                    .or(() -> lines.isEmpty() ? Optional.empty() : Optional.of(lines.getLast())).orElse("no output").trim();
        } catch (IOException e) {
            return "no log (" + e.getMessage() + ")";
        }
    }

    /** Ends the run in progress, if any (a shutdown hook calls this on INT or TERM). */
    static void endRunning() {
        Process p = RUNNING.getAndSet(null);
        if (p != null) {
            end(p);
        }
    }

    /**
     * TERM first, as scripts/bench-all.sh does: the bench JVM ends its JMH fork and sender; what is left
     * after ten seconds is killed.
     */
    private static void end(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
