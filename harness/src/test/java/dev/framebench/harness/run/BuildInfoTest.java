package dev.framebench.harness.run;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** framebench --version's record of a build: filled in by Maven, "unknown" (and why) where it was not. */
class BuildInfoTest {
    @Test
    void theBuildFillsInVersionAndBuildTime() {
        BuildInfo current = BuildInfo.current();
        assertTrue(current.version().matches("\\d+\\.\\d+\\.\\d+.*"), current.version());
        assertTrue(current.builtAt().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"), current.builtAt());
        assertNotEquals("", current.commit());
    }

    @Test
    void unfilledPlaceholdersAndBlanksAreUnknownAndSaySo() {
        Properties unfiltered = new Properties();
        unfiltered.setProperty("version", "${project.version}");
        unfiltered.setProperty("commit", "  ");
        BuildInfo info = BuildInfo.of(unfiltered);
        assertEquals(new BuildInfo(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN, BuildInfo.UNKNOWN), info);
        assertEquals("""
                framebench unknown
                commit unknown (not built from a git checkout by the scripts)
                built unknown (not built by Maven)
                """, info.describe());
    }

    @Test
    void describesAFilledInBuildInThreeLines() {
        Properties filled = new Properties();
        filled.setProperty("version", "0.1.0-SNAPSHOT");
        filled.setProperty("commit", "0123456789abcdef0123456789abcdef01234567-dirty");
        filled.setProperty("built", "2026-12-07T13:00:00Z");
        assertEquals("""
                framebench 0.1.0-SNAPSHOT
                commit 0123456789abcdef0123456789abcdef01234567-dirty
                built 2026-12-07T13:00:00Z
                """, BuildInfo.of(filled).describe());
    }
}
