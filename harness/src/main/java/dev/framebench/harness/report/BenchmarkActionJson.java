package dev.framebench.harness.report;

import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.util.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A run's figures in github-action-benchmark's custom formats, for users who keep their history there:
 * {@code customBiggerIsBetter} (GB/s, and GB/s over inproc-copy) and {@code customSmallerIsBetter}
 * (cpu.total s/GB). Each entry is {@code {name, unit, value, range, extra}}; {@code range} is half the
 * width of the figure's 95% interval over forks, {@code extra} names its ends (the interval is taken in log
 * space, so it is not symmetric about the value).
 */
public final class BenchmarkActionJson {
    static final String BIGGER = "github-action-benchmark-bigger-is-better.json";
    static final String SMALLER = "github-action-benchmark-smaller-is-better.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchmarkActionJson() {
    }

    public static void write(Path dir, RunResults run) throws IOException {
        ArrayNode bigger = MAPPER.createArrayNode();
        ArrayNode smaller = MAPPER.createArrayNode();
        for (BenchmarkRow r : run.rows()) {
            add(bigger, r.key() + " gbps", "GB/s", r.gbps(), r);
            if (Double.isFinite(r.gbpsVsInprocCopy()) && !r.transport().equals(BenchmarkRow.RULER)) {
                add(bigger, r.key() + " gbps/inproc-copy", "x inproc-copy", r.gbpsOverRuler(), r);
            }
            add(smaller, r.key() + " cpu.total.sPerGB", "s/GB", r.cpuTotalSPerGb(), r);
        }
        AtomicFiles.writeString(dir.resolve(BIGGER), MAPPER.writeValueAsString(bigger) + "\n");
        AtomicFiles.writeString(dir.resolve(SMALLER), MAPPER.writeValueAsString(smaller) + "\n");
    }

    private static void add(ArrayNode entries, String name, String unit, Estimate m, BenchmarkRow r) {
        if (!m.present()) {
            return;
        }
        ObjectNode entry = entries.addObject();
        entry.put("name", name);
        entry.put("unit", unit);
        entry.put("value", m.score());
        if (m.hasInterval()) {
            entry.put("range", String.format(Locale.ROOT, "± %.4f", m.error()));
        }
        entry.put("extra", "consume=" + r.consume() + (m.hasInterval()
                ? String.format(Locale.ROOT, "; 95%% interval over forks %.4f to %.4f", m.low(), m.high()) : ""));
    }
}
