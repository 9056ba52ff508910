package dev.framebench.harness.results;

import dev.framebench.harness.jmh.MemoryBaseline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every row of one run, in the order JMH ran them, with each row's ratio to {@code inproc-copy} (and its
 * interval) and its memory limit ({@link MemoryLimit}, from the run's baselines and the transport's copies per
 * frame as the registry knows them) filled in.
 */
public record RunResults(List<BenchmarkRow> rows, List<BaselineRow> baselines) {
    public RunResults {
        baselines = List.copyOf(baselines);
        rows = List.copyOf(withLimits(withRatios(rows), baselines));
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

    private static List<BenchmarkRow> withLimits(List<BenchmarkRow> rows, List<BaselineRow> baselines) {
        List<BenchmarkRow> out = new ArrayList<>(rows.size());
        for (BenchmarkRow row : rows) {
            OptionalInt copies = TransportCopies.of(row.transport());
            Optional<BaselineRow> limit = copies.isEmpty() ? Optional.empty()
                    : MemoryLimit.applying(copies.getAsInt(), row.consume()).flatMap(b -> baseline(baselines, b, row.frame()));
            out.add(row.withLimit(limit.map(b -> MemoryLimit.of(b.baseline(), b.gbps(), row.gbps())).orElse(MemoryLimit.NONE)));
        }
        return out;
    }

    private static Optional<BaselineRow> baseline(List<BaselineRow> baselines, MemoryBaseline kind, String frame) {
        return baselines.stream().filter(b -> b.baseline() == kind && b.frame().equals(frame) && b.gbps().present()).findFirst();
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

    /** The baselines of one frame, in the order they ran. */
    public List<BaselineRow> baselinesOf(String frame) {
        return baselines.stream().filter(b -> b.frame().equals(frame)).toList();
    }

    /** Rows that ran faster than their memory limit: each a measurement to investigate, never a result. */
    public List<BenchmarkRow> aboveLimit() {
        return rows.stream().filter(r -> r.limit().aboveLimit()).toList();
    }

    /**
     * framebench's own cost per frame, one per frame with a {@code null} row between two JVMs: that row's CPU per
     * frame, beside the cheapest inter-process transport of the frame that copies ({@code copiesPerFrame >= 1};
     * lowest cpu.total s/GB), which is what a real transport pays for the same frame.
     */
    public List<OwnCost> ownCosts() {
        List<OwnCost> costs = new ArrayList<>();
        for (String frame : frames()) {
            row(BenchmarkRow.FLOOR, frame).filter(r -> r.cpuMicrosPerFrame().present()).ifPresent(floor -> {
                Optional<BenchmarkRow> cheapest = rowsOf(frame).stream()
                        .filter(r -> r.jvmPair() && r.interProcess() && r.cpuTotalSPerGb().present()
                                && TransportCopies.of(r.transport()).orElse(0) >= 1)
                        .min(Comparator.comparingDouble(r -> r.cpuTotalSPerGb().score()));
                costs.add(new OwnCost(frame, floor.consume(), floor.cpuMicrosPerFrame(), cheapest.orElse(null)));
            });
        }
        return costs;
    }
}
