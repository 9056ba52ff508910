package dev.framebench.harness.cli;

import dev.framebench.harness.jmh.FrameThroughputBenchmark;
import dev.framebench.harness.jmh.MemoryBaseline;
import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.run.RunProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.Options;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a bench plans, without running it: the machine's three baselines come and go together with the profile's {@code baseline}. */
class BenchPlanTest {
    private static final List<String> BASELINES = MemoryBaseline.benchmarks().stream().map(b -> b + "$").toList();

    private static List<String> includes(RunProfile profile, Path dir) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        BenchCommand.RunPlan plan = BenchCommand.plan(profile, JmhPassThrough.NONE, dir, quiet);
        return plan.runs().stream().map(Options::getIncludes).flatMap(List::stream).toList();
    }

    private static RunProfile profile(String order, boolean baseline) {
        return RunProfile.load("smoke", FramebenchHome.profiles()).with("transports", "tcp,shm-ffm").with("frames", "1080p-i420,720p-i420")
                .with("order", order).with("forks", "2").with("baseline", Boolean.toString(baseline));
    }

    @Test
    void aGroupedRunWithItsBaselineIncludesAllThreeBaselines(@TempDir Path dir) {
        List<String> includes = includes(profile("grouped", true), dir);
        assertTrue(includes.containsAll(BASELINES), includes.toString());
        assertTrue(includes.contains(FrameThroughputBenchmark.BENCHMARK + "$"), includes.toString());
        assertEquals(3, MemoryBaseline.values().length);
    }

    @Test
    void anInterleavedRunPlansEachBaselineOncePerFramePerRound(@TempDir Path dir) {
        List<String> includes = includes(profile("interleaved", true), dir);
        for (String baseline : BASELINES) {
            assertEquals(2 * 2, includes.stream().filter(baseline::equals).count(), baseline + " in " + includes);
        }
    }

    @Test
    void noBaselineDropsAllThree(@TempDir Path dir) {
        for (String order : List.of("grouped", "interleaved")) {
            List<String> includes = includes(profile(order, false), dir);
            assertTrue(includes.stream().noneMatch(BASELINES::contains), order + ": " + includes);
            assertTrue(includes.contains(FrameThroughputBenchmark.BENCHMARK + "$"), includes.toString());
        }
    }

    @Test
    void severalOptionSetsRunEveryTransportAndFrameOncePerSetAndTheBaselinesOnce(@TempDir Path dir) {
        RunProfile sweep = profile("interleaved", true).with("options", "shm.ringFrames=2;idle=spin,shm.ringFrames=8");
        assertEquals(List.of("shm.ringFrames=2;idle=spin", "shm.ringFrames=8"),
                sweep.optionSets().stream().map(Object::toString).toList());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<Options> runs = BenchCommand.plan(sweep, JmhPassThrough.NONE, dir, quiet).runs();
        // 2 forks x (2 transports x 2 frames x 2 sets + 3 baselines x 2 frames)
        assertEquals(2 * (2 * 2 * 2 + 3 * 2), runs.size());
        List<String> transportSets = runs.stream().filter(o -> o.getIncludes().contains(FrameThroughputBenchmark.BENCHMARK + "$"))
                .map(o -> o.getParameter("transport").get().iterator().next() + " " + o.getParameter("options").get().iterator().next())
                .distinct().sorted().toList();
        assertEquals(List.of("shm-ffm shm.ringFrames=2;idle=spin", "shm-ffm shm.ringFrames=8",
                "tcp shm.ringFrames=2;idle=spin", "tcp shm.ringFrames=8"), transportSets);
    }

    @Test
    void aBadValueInAnyOptionSetFailsBeforeTheRun() {
        RunProfile sweep = profile("grouped", false).with("options", "shm.ringFrames=2,shm.ringFrames=99");
        dev.framebench.error.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.framebench.error.BadInputException.class, sweep::requireValidOptions);
        assertTrue(e.getMessage().contains("shm.ringFrames=99"), e.getMessage());
    }
}
