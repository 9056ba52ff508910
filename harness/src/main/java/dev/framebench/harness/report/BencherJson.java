package dev.framebench.harness.report;

import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.util.AtomicFiles;
import dev.framebench.harness.util.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A run's figures in Bencher Metric Format (bencher.dev/docs/reference/bencher-metric-format), for
 * {@code bencher run --adapter json --file bmf.json}:
 * {@code {"<transport> <frame>": {"<measure>": {"value": v, "lower_value": lo, "upper_value": hi}}}}. The
 * measures are the figures' keys ({@link Metric}: gbps, cpu.total.sPerGB, cpu.sender.sPerGB,
 * cpu.receiver.sPerGB); the bounds are the 95% interval over forks (or rounds), left out where there is none.
 */
public final class BencherJson {
    public static final String FILE = "bmf.json";

    private BencherJson() {
    }

    public static ObjectNode of(RunResults run) {
        ObjectNode root = Json.object();
        for (BenchmarkRow r : run.rows()) {
            ObjectNode benchmark = Json.object();
            for (Metric figure : Comparison.FIGURES) {
                Estimate e = Comparison.figure(r, figure);
                if (!e.present() || !Double.isFinite(e.score())) {
                    continue;
                }
                ObjectNode measure = benchmark.putObject(figure.key());
                measure.put("value", e.score());
                if (e.hasInterval()) {
                    measure.put("lower_value", e.low());
                    measure.put("upper_value", e.high());
                }
            }
            if (!benchmark.isEmpty()) {
                root.set(r.key(), benchmark);
            }
        }
        return root;
    }

    public static void write(Path dir, RunResults run) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE), Json.pretty(of(run)));
    }
}
