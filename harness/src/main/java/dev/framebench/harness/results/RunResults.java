package dev.framebench.harness.results;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every row of one run, in the order JMH ran them, with each row's ratio to {@code inproc-copy} (and its interval) filled in. */
public record RunResults(List<BenchmarkRow> rows, List<BaselineRow> baselines) {
    public RunResults {
        rows = List.copyOf(withRatios(rows));
        baselines = List.copyOf(baselines);
    }

    private static List<BenchmarkRow> withRatios(List<BenchmarkRow> rows) {
        Map<String, BenchmarkRow> rulers = rows.stream().filter(r -> r.transport().equals(BenchmarkRow.RULER))
                .collect(Collectors.toMap(BenchmarkRow::frame, Function.identity(), (a, b) -> a));
        List<BenchmarkRow> out = new ArrayList<>(rows.size());
        for (BenchmarkRow row : rows) {
            BenchmarkRow ruler = rulers.get(row.frame());
            out.add(row.withRatio(ruler == null ? Estimate.ABSENT : row.gbps().perForkRatio(ruler.gbps())));
        }
        return out;
    }

    /** The frame presets of the run, in the order they first appear. */
    public List<String> frames() {
        Set<String> frames = new LinkedHashSet<>();
        rows.forEach(r -> frames.add(r.frame()));
        baselines.forEach(b -> frames.add(b.frame()));
        return List.copyOf(frames);
    }

    /** The transports of the run, in the order they first appear. */
    public List<String> transports() {
        Set<String> transports = new LinkedHashSet<>();
        rows.forEach(r -> transports.add(r.transport()));
        return List.copyOf(transports);
    }

    public List<BenchmarkRow> rowsOf(String frame) {
        return rows.stream().filter(r -> r.frame().equals(frame)).toList();
    }

    /** The row of {@code transport} at {@code frame} with two JVM ends (rows of the seed's Chromium and Python ends are in {@link #rows()}). */
    public Optional<BenchmarkRow> row(String transport, String frame) {
        return rows.stream().filter(r -> r.transport().equals(transport) && r.frame().equals(frame) && r.jvmPair()).findFirst();
    }
}
