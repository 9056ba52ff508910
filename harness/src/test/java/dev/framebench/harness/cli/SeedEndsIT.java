package dev.framebench.harness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's pairs as a user runs them, through bench-all.sh: a real headless Chromium and a real Python
 * receiver beside the JVM ends, one short iteration each, and nothing of either left running afterwards.
 */
class SeedEndsIT {
    @Test
    void benchAllRunsEveryPairThatFitsWithTheSeedsTableAndLeavesNoBrowserOrPython(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        ScriptsIT.Outcome o = ScriptsIT.script(Map.of(), "scripts/bench-all.sh", "--profile", "smoke", "--transports", "ws-netty,shm-ffm",
                "--sender", "chromium,jvm", "--receiver", "python,jvm", "--out", out.toString());
        assertEquals(0, o.status(), o.err() + o.out());
        assertTrue(o.out().contains(" start ws-netty chromium->python 1080p-i420"), "progress names the ends: " + o.out());
        String summary = Files.readString(out.resolve("summary.txt"));
        for (String label : List.of("ws-netty chromium->python", "ws-netty chromium->jvm", "ws-netty jvm->python")) {
            assertTrue(summary.lines().anyMatch(l -> l.startsWith(label + " ")), label + " in " + summary);
        }
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("ws-netty ") && l.contains("1080p-i420")), summary);
        assertTrue(summary.contains("the seed's pair (Chromium -> Python over WebSocket) beside the JVM ends, 1080p-i420:"), summary);
        assertTrue(summary.contains("claim: chromium -> python over WebSocket (ws-netty):"), summary);
        assertTrue(summary.contains("sender.renderer"), "the browser's CPU by kind of process: " + summary);
        String readme = Files.readString(out.resolve("README.md"));
        assertTrue(readme.contains("## The seed's pair: Chromium to Python over WebSocket"), readme);
        String env = Files.readString(out.resolve("env.json"));
        assertTrue(env.contains("\"seedEnds\"") && env.contains("Chromium"), env);
        assertEquals(List.of(), seedEndProcesses(), "no browser or Python receiver outlives the run");
    }

    @Test
    void aMissingSeedEndIsOneLineNamingWhatToInstallOrToFix() throws Exception {
        ScriptsIT.Outcome chosen = ScriptsIT.script(Map.of("FRAMEBENCH_CHROMIUM", "/nonexistent/chromium"), "scripts/bench.sh",
                "--transport", "ws-netty", "--sender", "chromium");
        assertEquals(2, chosen.status(), chosen.err());
        assertEquals("framebench: FRAMEBENCH_CHROMIUM=/nonexistent/chromium is not an executable file: point it at a browser,"
                + " or unset it to use chromium on PATH\n", chosen.err());
        // A Python without websockets (the interpreter started isolated from its packages), and no installing allowed.
        Path python = Files.createTempFile("framebench-python", ".sh");
        try {
            Files.writeString(python, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
            python.toFile().setExecutable(true);
            ScriptsIT.Outcome bare = ScriptsIT.script(Map.of("FRAMEBENCH_PYTHON", python.toString(), "FB_NO_INSTALL", "1"), "scripts/bench-all.sh",
                    "--transports", "ws-netty", "--receiver", "python", "--profile", "smoke");
            assertEquals(2, bare.status(), bare.err());
            assertEquals("framebench: the seed's ends (python) need Debian's python3-websockets python3-crcmod: run 'apt-get install"
                    + " python3-websockets python3-crcmod' as root (FRAMEBENCH_CHROMIUM and FRAMEBENCH_PYTHON choose other binaries)\n", bare.err());
        } finally {
            Files.delete(python);
        }
    }

    /** Live processes of a browser or of framebench's Python receiver, as "pid argv0". */
    static List<String> seedEndProcesses() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("chromium") || c.contains("framebench_receiver")).orElse(false))
                .map(p -> p.pid() + " " + p.info().command().orElse("?")).toList();
    }
}
