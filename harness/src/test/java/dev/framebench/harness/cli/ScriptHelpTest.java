package dev.framebench.harness.cli;

import dev.framebench.frame.FramePreset;
import dev.framebench.harness.peer.Topology;
import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scripts print a command's help with no build by reading its HELP text block from the source
 * (scripts/lib/common.sh, fb_help_from_source): what they print must be what the jar prints, but for the
 * lists only the jar knows (transports, frames), which they name a place to find.
 */
class ScriptHelpTest {
    private static final Path ROOT = FramebenchHome.root();
    private static final String LISTED = "(listed by 'scripts/framebench transports' once built)";

    private static String script(String... command) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of(ROOT.resolve(command[0]).toString()));
        argv.addAll(List.of(command).subList(1, command.length));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(ROOT.toFile());
        // No JDK to be found: the help must not need one.
        builder.environment().put("JAVA_HOME", "/nonexistent");
        builder.environment().put("FB_JDK_SEARCH", "/nonexistent");
        builder.environment().put("PATH", "/usr/bin:/bin");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return out;
    }

    @Test
    void benchHelpWithoutABuildIsTheCommandsOwnHelp() throws Exception {
        assertEquals(BenchCommand.HELP.formatted(LISTED, LISTED), script("scripts/bench.sh", "--help"));
        assertEquals(BenchCommand.HELP.formatted(LISTED, LISTED), script("scripts/framebench", "bench", "-h"));
        assertTrue(BenchCommand.help().contains(TransportRegistry.validNames()) && BenchCommand.help().contains(FramePreset.validNames()),
                "the jar's help fills in the lists the script's names a place for");
    }

    @Test
    void pacedAndCapacityHelpWithoutABuildAreTheCommandsOwn() throws Exception {
        assertEquals(PacedCommand.HELP.formatted(LISTED, LISTED, Topology.validNames()), script("scripts/paced.sh", "--help"));
        assertEquals(CapacityCommand.HELP.formatted(LISTED, LISTED, Topology.validNames()), script("scripts/capacity.sh", "--help"));
    }

    @Test
    void printedAsWrittenHelpsAreCopiedWordForWord() throws Exception {
        assertEquals(RegressCommand.HELP, script("scripts/regress.sh", "--help"));
        assertEquals(Main.HELP, script("scripts/framebench", "--help"));
        assertEquals(CompareCommand.HELP, script("scripts/framebench", "compare", "--help"));
        assertEquals(ReceiveCommand.HELP, script("scripts/framebench", "receive", "--help"));
    }
}
