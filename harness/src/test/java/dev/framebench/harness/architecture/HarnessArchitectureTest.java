package dev.framebench.harness.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's layers, top to bottom, each importing only layers below it (docs/ARCHITECTURE.md draws
 * them): {@code cli} (every command) over {@code report} (README, charts, regress verdicts) over
 * {@code results} (the one reader of jmh.json, summary.json and env.json) over {@code run} (typed
 * profiles, results-folder lifecycle, the environment record) over {@code jmh} (benchmarks and their
 * profilers) over {@code session} (one trial's receiving side over a sender side) over {@code peer} (the
 * control protocol and the one sender main) over {@code profiler} (async-profiler and flame-graph files)
 * over {@code metrics} (every figure's name, unit and aggregation; the cost model) over
 * {@code accounting} (CPU and memory of processes) over {@code util}. No package cycles.
 */
class HarnessArchitectureTest {
    static final List<String> LAYERS = List.of("cli", "report", "results", "run", "jmh", "session", "browser", "python", "peer", "profiler", "metrics",
            "accounting", "util");

    private static final JavaClasses HARNESS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.framebench.harness");

    /** Each layer of {@link #LAYERS} under {@code root} may be used only by the layers listed before it. */
    static ArchRule layersPointDown(String root) {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            layers = layers.layer(layer).definedBy(root + "." + layer + "..");
        }
        for (int i = 1; i < LAYERS.size(); i++) {
            layers = layers.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(LAYERS.subList(0, i).toArray(String[]::new));
        }
        return layers.whereLayer(LAYERS.getFirst()).mayNotBeAccessedByAnyLayer();
    }

    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void importsPointDownTheLayersOnly() {
        layersPointDown("dev.framebench.harness").check(HARNESS);
    }

    @Test
    void noPackageImportsItselfInACircle() {
        noPackageCycles("dev.framebench.harness").check(HARNESS);
    }

    @Test
    void everyHarnessPackageIsALayer() {
        HARNESS.forEach(c -> {
            String rest = c.getPackageName().substring("dev.framebench.harness".length());
            String top = rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0];
            assertTrue(LAYERS.contains(top), c.getName() + " is in no layer; add its package to LAYERS and docs/ARCHITECTURE.md");
        });
    }

    /** The rules can fail: a fixture whose util class imports a cli class breaks both. */
    @Test
    void anUpwardImportAndACycleAreCaught() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.framebench.harness.architecture.fixture");
        String root = "dev.framebench.harness.architecture.fixture";
        assertTrue(layersPointDown(root).evaluate(fixture).hasViolation(), "util -> cli must violate the layers");
        assertTrue(noPackageCycles(root).evaluate(fixture).hasViolation(), "cli <-> util must be a cycle");
    }
}
