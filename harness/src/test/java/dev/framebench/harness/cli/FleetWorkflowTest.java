package dev.framebench.harness.cli;

import dev.framebench.harness.run.FramebenchHome;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .github/workflows/fleet.yml: the ec2 profile on one self-hosted runner per instance type, each folder uploaded, then indexed side by side. */
class FleetWorkflowTest {
    @SuppressWarnings("unchecked") // snakeyaml hands out untyped maps and lists.
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> job) {
        return (List<Map<String, Object>>) job.get("steps");
    }

    private static Map<String, Object> step(Map<String, Object> job, String what, java.util.function.Predicate<Map<String, Object>> matches) {
        return steps(job).stream().filter(matches).findFirst().orElseThrow(() -> new AssertionError("no step " + what + " in " + job));
    }

    private static boolean uses(Map<String, Object> step, String action) {
        return String.valueOf(step.get("uses")).startsWith(action + "@");
    }

    private static Map<String, Object> fleet() throws IOException {
        return map(new Yaml().load(Files.readString(FramebenchHome.root().resolve(".github/workflows/fleet.yml"))));
    }

    @Test
    void manualRunTakesAListOfInstanceTypesWithDefaults() throws IOException {
        Map<String, Object> fleet = fleet();
        // YAML 1.1 reads the bare key "on" as the boolean true.
        Map<String, Object> on = map(fleet.containsKey("on") ? fleet.get("on") : ((Map<?, ?>) fleet).get(Boolean.TRUE));
        assertEquals(List.of("workflow_dispatch"), List.copyOf(on.keySet()), "started by hand only: it needs the runners up");
        String types = String.valueOf(map(map(map(on.get("workflow_dispatch")).get("inputs")).get("instance_types")).get("default"));
        assertTrue(types.split(",").length >= 2, "two or more types by default, to compare: " + types);
        String plan = String.valueOf(step(map(map(fleet.get("jobs")).get("plan")), "splitting the list", s -> s.containsKey("run")).get("run"));
        assertTrue(plan.contains("split(\",\")") && plan.contains("GITHUB_OUTPUT"), plan);
    }

    @Test
    void eachInstanceTypeRunsTheEc2ProfileOnItsOwnRunnerAndUploadsItsFolder() throws IOException {
        Map<String, Object> bench = map(map(fleet().get("jobs")).get("bench"));
        Map<String, Object> strategy = map(bench.get("strategy"));
        assertEquals(Boolean.FALSE, strategy.get("fail-fast"), "one type failing keeps the others running");
        assertEquals("${{ fromJSON(needs.plan.outputs.types) }}", map(strategy.get("matrix")).get("instance_type"));
        assertEquals(List.of("self-hosted", "linux", "${{ matrix.instance_type }}"), bench.get("runs-on"));
        assertTrue(uses(steps(bench).getFirst(), "actions/checkout"));
        Map<String, Object> java = step(bench, "actions/setup-java", s -> uses(s, "actions/setup-java"));
        assertEquals("25", String.valueOf(map(java.get("with")).get("java-version")));
        String run = String.valueOf(step(bench, "bench-all.sh", s -> String.valueOf(s.get("run")).contains("scripts/bench-all.sh")).get("run"));
        assertTrue(run.contains("scripts/bench-all.sh --profile ec2") && run.contains("set -o pipefail"), run);
        Path root = FramebenchHome.root();
        assertTrue(Files.isExecutable(root.resolve("scripts/bench-all.sh")) && Files.isRegularFile(root.resolve("profiles/ec2.properties")));
        Map<String, Object> upload = step(bench, "the upload", s -> uses(s, "actions/upload-artifact")
                && String.valueOf(map(s.get("with")).get("path")).contains("steps.bench.outputs.dir"));
        assertTrue(String.valueOf(upload.get("if")).startsWith("always()"), upload.toString());
        assertEquals("${{ steps.bench.outputs.name }}", map(upload.get("with")).get("name"), "the artifact is named as the folder");
    }

    @Test
    void theFoldersThatCameBackAreIndexedSideBySide() throws IOException {
        Map<String, Object> jobs = map(fleet().get("jobs"));
        Map<String, Object> index = map(jobs.get("index"));
        assertTrue(String.valueOf(index.get("needs")).contains("bench") && String.valueOf(index.get("if")).startsWith("always()"), index.toString());
        Map<String, Object> download = step(index, "the download", s -> uses(s, "actions/download-artifact"));
        assertEquals("results", map(download.get("with")).get("path"));
        String run = String.valueOf(step(index, "the index", s -> String.valueOf(s.get("run")).contains("scripts/framebench index")).get("run"));
        assertTrue(run.contains("scripts/framebench index results") && run.contains("GITHUB_STEP_SUMMARY"), run);
        for (Object job : jobs.values()) {
            for (Map<String, Object> step : steps(map(job))) {
                String action = String.valueOf(step.get("uses"));
                assertFalse(action.startsWith("actions/") && (action.endsWith("@v3") || action.endsWith("@v4")), "a current major version: " + action);
            }
        }
    }
}
