package dev.framebench.harness.cli;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMH options after {@code --}: parsed by JMH's own parser, refused in one line where JMH or framebench would not take them. */
class JmhPassThroughTest {
    @Test
    void splitsFramebenchFlagsFromJmhOptionsAtTheFirstDoubleDash() {
        JmhPassThrough.Split split = JmhPassThrough.split(new String[] {"--profile", "smoke", "--", "-prof", "gc", "--", "x"});
        assertArrayEquals(new String[] {"--profile", "smoke"}, split.framebench());
        assertEquals(List.of("-prof", "gc", "--", "x"), split.jmh());
    }

    @Test
    void withoutDoubleDashEveryArgumentIsFramebenchs() {
        JmhPassThrough.Split split = JmhPassThrough.split(new String[] {"--profile", "smoke"});
        assertArrayEquals(new String[] {"--profile", "smoke"}, split.framebench());
        assertEquals(List.of(), split.jmh());
        assertTrue(JmhPassThrough.NONE.isEmpty());
    }

    @Test
    void profilerAndJvmArgumentsReachJmhAfterFramebenchsForkArguments() {
        JmhPassThrough jmh = JmhPassThrough.parse(List.of("-prof", "gc", "-jvmArgsAppend", "-Xmx2g"));
        assertEquals(List.of("gc"), jmh.options().getProfilers().stream().map(p -> p.getKlass()).toList());
        assertArrayEquals(new String[] {"-Dframebench.x=1", "-Xmx2g"}, jmh.jvmArgsAppend(List.of("-Dframebench.x=1")));
        assertEquals(List.of("-prof", "gc", "-jvmArgsAppend", "-Xmx2g"), jmh.args());
    }

    @Test
    void unknownJmhOptionIsOneLineOfBadInput() {
        BadInputException e = assertThrows(BadInputException.class, () -> JmhPassThrough.parse(List.of("--frobnicate")));
        assertTrue(e.getMessage().startsWith("JMH options after --: "), e.getMessage());
        assertTrue(e.getMessage().contains("frobnicate"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void unknownProfilerIsRefusedBeforeAnythingRuns() {
        BadInputException e = assertThrows(BadInputException.class, () -> JmhPassThrough.parse(List.of("-prof", "no.such.Profiler")));
        assertTrue(e.getMessage().startsWith("JMH options after --: profiler 'no.such.Profiler' cannot run here: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void optionsFramebenchSetsItselfNameTheFlagToUseInstead() {
        assertEquals("JMH options after --: -f is framebench's; use --forks (-f 3)",
                assertThrows(BadInputException.class, () -> JmhPassThrough.parse(List.of("-f", "3"))).getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> JmhPassThrough.parse(List.of("-p", "transport=tcp")))
                .getMessage().contains("use --transport, --frame, --consume and --options"));
        assertTrue(assertThrows(BadInputException.class, () -> JmhPassThrough.parse(List.of("-rf", "csv")))
                .getMessage().contains("it writes jmh.json and jmh.log"));
        assertTrue(assertThrows(BadInputException.class, () -> JmhPassThrough.parse(List.of("FrameThroughput")))
                .getMessage().contains("benchmark patterns are framebench's"));
    }
}
