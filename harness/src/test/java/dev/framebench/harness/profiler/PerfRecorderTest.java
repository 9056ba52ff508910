package dev.framebench.harness.profiler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** perf as the sampler of processes that are not JVMs: its script output folded, and a real recording of a busy shell. */
class PerfRecorderTest {
    @Test
    void perfScriptFoldsIntoStacksRootedAtTheProcessKindWithKernelAndStrippedFramesNamed() {
        List<String> script = List.of(
                "  5044 ",
                "\t    ffffffff8171f182 anon_pipe_read+0x4f2 ([kernel.kallsyms])",
                "\t    ffffffff822f6f71 do_syscall_64+0x71 ([kernel.kallsyms])",
                "\t               f82ad read+0xd (/usr/lib/x86_64-linux-gnu/libc.so.6)",
                "",
                "  5044 ",
                "\t                43b6 [unknown] (/usr/bin/gzip)",
                "",
                "  7 ",
                "\t                43b6 [unknown] (/usr/bin/gzip)",
                "");
        CollapsedStacks stacks = PerfRecorder.fold(script, pid -> pid == 5044 ? "renderer" : "network");
        assertEquals(3, stacks.total());
        assertEquals(1L, stacks.samples().get(List.of("renderer", "read", "do_syscall_64_[k]", "anon_pipe_read_[k]")), stacks.samples().toString());
        assertEquals(1L, stacks.samples().get(List.of("renderer", "[gzip]")), stacks.samples().toString());
        assertEquals(1L, stacks.samples().get(List.of("network", "[gzip]")), stacks.samples().toString());
    }

    @Test
    void aBusyProcessSampledOnlyWhileEnabledGivesCollapsedStacksAndAFlameGraph(@TempDir Path dir) throws Exception {
        assertTrue(PerfRecorder.unavailable().isEmpty(), "perf must be usable here (scripts/test.sh installs linux-perf): " + PerfRecorder.unavailable());
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            try (PerfRecorder never = PerfRecorder.start(List.of(busy.pid()), Files.createDirectory(dir.resolve("never")))) {
                Thread.sleep(300);
                // Started disabled and never enabled: a busy process, yet not one sample. The window is the enabled time only.
                assertEquals(0, never.finish(dir.resolve("never/busy"), pid -> "shell", "never enabled").total());
            }
            try (PerfRecorder perf = PerfRecorder.start(List.of(busy.pid()), Files.createDirectory(dir.resolve("enabled")))) {
                perf.enable();
                Thread.sleep(600);
                perf.disable();
                Path prefix = dir.resolve("enabled/busy");
                CollapsedStacks stacks = perf.finish(prefix, pid -> "shell", "a busy shell");
                assertTrue(stacks.total() > 0, "a busy process sampled while enabled: " + stacks.total());
                assertTrue(stacks.samples().keySet().stream().allMatch(s -> s.getFirst().equals("shell")), "rooted at the kind");
                assertTrue(Files.readString(Path.of(prefix + ".collapsed")).lines().allMatch(l -> l.startsWith("shell;") || l.startsWith("shell ")));
                String html = Files.readString(Path.of(prefix + ".html"));
                assertTrue(html.contains("<h2>Flame graph: a busy shell</h2>") && html.contains("<svg"), html.substring(0, Math.min(400, html.length())));
            }
        } finally {
            busy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
