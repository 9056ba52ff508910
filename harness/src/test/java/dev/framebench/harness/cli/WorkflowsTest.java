package dev.framebench.harness.cli;

import dev.framebench.harness.run.FramebenchHome;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GitHub workflows parse, run on the right triggers, and call scripts and profiles that exist. */
class WorkflowsTest {
    private static final Pattern SCRIPT = Pattern.compile("(scripts/[A-Za-z0-9_./-]+)");
    private static final Pattern PROFILE = Pattern.compile("--profile\\s+([A-Za-z0-9_-]+)");

    @SuppressWarnings("unchecked") // snakeyaml hands out untyped maps and lists.
    private static Map<String, Object> workflow(String name) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(FramebenchHome.root().resolve(".github/workflows").resolve(name)));
    }

    /** YAML 1.1 reads the bare key {@code on} as the boolean true; GitHub reads it as "on". */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> triggers(Map<String, Object> workflow) {
        Object on = workflow.containsKey("on") ? workflow.get("on") : ((Map<Object, Object>) (Map<?, ?>) workflow).get(Boolean.TRUE);
        return (Map<String, Object>) on;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> workflow) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Object job : ((Map<String, Object>) workflow.get("jobs")).values()) {
            steps.addAll((List<Map<String, Object>>) ((Map<String, Object>) job).get("steps"));
        }
        return steps;
    }

    private static String runs(Map<String, Object> workflow) {
        StringBuilder all = new StringBuilder();
        steps(workflow).stream().filter(s -> s.containsKey("run")).forEach(s -> all.append(s.get("run")).append('\n'));
        return all.toString();
    }

    @SuppressWarnings("unchecked")
    private static void assertSetsUpJdk25(Map<String, Object> workflow) {
        Map<String, Object> setup = steps(workflow).stream().filter(s -> String.valueOf(s.get("uses")).startsWith("actions/setup-java@"))
                .findFirst().orElseThrow(() -> new AssertionError("no actions/setup-java step"));
        Map<String, Object> with = (Map<String, Object>) setup.get("with");
        assertEquals("temurin", with.get("distribution"));
        assertEquals("25", String.valueOf(with.get("java-version")));
    }

    private static void assertScriptsAndProfilesExist(String runs) {
        Path root = FramebenchHome.root();
        Matcher script = SCRIPT.matcher(runs);
        int found = 0;
        while (script.find()) {
            Path file = root.resolve(script.group(1));
            assertTrue(Files.isRegularFile(file) && Files.isExecutable(file), script.group(1) + " exists and is executable");
            found++;
        }
        assertTrue(found > 0, "calls at least one script: " + runs);
        Matcher profile = PROFILE.matcher(runs);
        while (profile.find()) {
            assertTrue(Files.isRegularFile(FramebenchHome.profiles().resolve(profile.group(1) + ".properties")), "profile " + profile.group(1));
        }
    }

    @Test
    void ciRunsTheReadmeTestCommandOnPushAndPullRequestWithJdk25() throws IOException {
        Map<String, Object> ci = workflow("ci.yml");
        assertTrue(triggers(ci).containsKey("push") && triggers(ci).containsKey("pull_request"), triggers(ci).toString());
        assertSetsUpJdk25(ci);
        String runs = runs(ci);
        assertTrue(runs.contains("scripts/test.sh"), runs);
        assertTrue(Files.readString(FramebenchHome.root().resolve("README.md")).contains("scripts/test.sh "), "the README's test command");
        assertScriptsAndProfilesExist(runs);
    }

    @Test
    void nightlyBenchmarksRegressesAgainstBaselineAndUploadsResults() throws IOException {
        Map<String, Object> nightly = workflow("nightly.yml");
        assertTrue(triggers(nightly).containsKey("schedule") && triggers(nightly).containsKey("workflow_dispatch"), triggers(nightly).toString());
        assertSetsUpJdk25(nightly);
        String runs = runs(nightly);
        assertTrue(runs.contains("scripts/bench-all.sh --profile nightly"), runs);
        assertTrue(runs.contains("scripts/regress.sh results/baseline "), runs);
        assertFalse(steps(nightly).stream().anyMatch(s -> Boolean.TRUE.equals(s.get("continue-on-error"))), "a regression fails the job");
        assertTrue(steps(nightly).stream().anyMatch(s -> String.valueOf(s.get("uses")).startsWith("actions/upload-artifact@")), "uploads results");
        assertScriptsAndProfilesExist(runs);
    }
}
