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
        for (Map<String, Object> step : steps(workflow)) {
            String action = String.valueOf(step.get("uses"));
            if (action.startsWith("actions/")) {
                assertFalse(action.matches(".*@v[1-5]"), "a current major version of every action: " + action);
            }
        }
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

    /** The index of the first step that matches, failing when none does. */
    private static int stepIndex(List<Map<String, Object>> steps, String what, java.util.function.Predicate<Map<String, Object>> matches) {
        for (int i = 0; i < steps.size(); i++) {
            if (matches.test(steps.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no step " + what + " in " + steps);
    }

    private static boolean uses(Map<String, Object> step, String action) {
        return String.valueOf(step.get("uses")).startsWith(action + "@");
    }

    private static String run(Map<String, Object> step) {
        return String.valueOf(step.get("run"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void nightlyComparesHeadWithThePreviousNightlysCommitOnOneRunner() throws IOException {
        Map<String, Object> nightly = workflow("nightly.yml");
        Map<String, Object> on = triggers(nightly);
        assertTrue(on.containsKey("schedule") && on.containsKey("workflow_dispatch"), on.toString());
        Map<String, Object> inputs = (Map<String, Object>) ((Map<String, Object>) on.get("workflow_dispatch")).get("inputs");
        assertTrue(inputs != null && inputs.containsKey("base"), "a manual run can name the base: " + on);
        assertEquals("read", ((Map<String, Object>) nightly.get("permissions")).get("actions"), "gh run list needs actions: read");
        assertSetsUpJdk25(nightly);

        List<Map<String, Object>> steps = steps(nightly);
        int checkout = stepIndex(steps, "actions/checkout", s -> uses(s, "actions/checkout"));
        int java = stepIndex(steps, "actions/setup-java", s -> uses(s, "actions/setup-java"));
        int base = stepIndex(steps, "choosing the base", s -> run(s).contains("gh run list --workflow nightly.yml --status success"));
        int compare = stepIndex(steps, "running scripts/compare.sh", s -> run(s).contains("scripts/compare.sh "));
        int summary = stepIndex(steps, "writing the job summary", s -> run(s).contains("$GITHUB_STEP_SUMMARY"));
        int figures = stepIndex(steps, "emitting BMF", s -> run(s).contains("bmf.json"));
        int upload = stepIndex(steps, "uploading the results", s -> uses(s, "actions/upload-artifact"));
        assertTrue(checkout < java && java < base && base < compare && compare < summary && summary < figures && figures < upload,
                "steps in order: checkout, setup-java, base, compare, summary, figures, upload: " + List.of(checkout, java, base, compare, summary,
                        figures, upload));

        assertEquals(0, ((Map<String, Object>) steps.get(checkout).get("with")).get("fetch-depth"), "the whole history, for the base commit");
        String choose = run(steps.get(base));
        assertTrue(choose.contains("inputs.base") || String.valueOf(steps.get(base).get("env")).contains("inputs.base"), "the input wins: " + choose);
        assertTrue(choose.contains("HEAD~1"), "HEAD~1 when there is no earlier run: " + choose);
        String comparing = run(steps.get(compare));
        assertTrue(comparing.contains("scripts/compare.sh \"${{ steps.base.outputs.sha }}\" HEAD --profile nightly --out"), comparing);
        assertTrue(comparing.contains("set -o pipefail"), "the comparison's exit status survives the tee: " + comparing);
        assertTrue(run(steps.get(summary)).contains("comparison.md"), "the table: " + run(steps.get(summary)));
        for (int step : List.of(summary, figures, upload)) {
            assertTrue(String.valueOf(steps.get(step).get("if")).startsWith("always()"), "runs whether the comparison failed or not: " + steps.get(step));
        }
        String uploaded = String.valueOf(((Map<String, Object>) steps.get(upload).get("with")).get("path"));
        assertTrue(uploaded.contains("${{ steps.compare.outputs.dir }}"), "uploads the results folder: " + uploaded);
        assertFalse(steps.stream().anyMatch(s -> Boolean.TRUE.equals(s.get("continue-on-error"))), "a regression fails the job");
        assertFalse(runs(nightly).contains("results/baseline"), "a baseline from another machine gives no verdict");
        assertScriptsAndProfilesExist(runs(nightly));
    }
}
