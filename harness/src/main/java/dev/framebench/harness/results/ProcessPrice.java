package dev.framebench.harness.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The price of a process per stream: for one transport x frame x options x fps x receivers x N streams
 * (N > 1) measured in both topologies, what each of the N - 1 extra sender JVMs of process-per-stream adds
 * over thread-per-stream at the same load (the chatbot host's "a process per room" cost).
 *
 * @param rssMbPerProcess peak RSS of the sender side, per extra sender JVM
 * @param coresPerProcess sender plus receiver cores, per extra sender JVM
 * @param p99DeltaMs      p99 latency, process-per-stream minus thread-per-stream
 */
public record ProcessPrice(String transport, String frame, String options, String receivers, String fps, int streams,
                           double rssMbPerProcess, double coresPerProcess, double p99DeltaMs) {
    static final String THREADS = "thread-per-stream";
    static final String PROCESSES = "process-per-stream";

    /** Every pair of rows of {@code rows} that differ only in topology, in the order the rows came. */
    public static List<ProcessPrice> of(List<PacedResults.PacedRow> rows) {
        Map<String, Map<String, PacedResults.PacedRow>> byTopology = new LinkedHashMap<>();
        for (PacedResults.PacedRow r : rows) {
            String key = String.join("|", r.transport(), r.frame(), r.options(), r.fps(), Integer.toString(r.streams()), r.receivers());
            byTopology.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.topology(), r);
        }
        List<ProcessPrice> prices = new ArrayList<>();
        for (Map<String, PacedResults.PacedRow> pair : byTopology.values()) {
            PacedResults.PacedRow threads = pair.get(THREADS);
            PacedResults.PacedRow processes = pair.get(PROCESSES);
            if (threads == null || processes == null || threads.streams() < 2) {
                continue;
            }
            double extra = threads.streams() - 1;
            prices.add(new ProcessPrice(threads.transport(), threads.frame(), threads.options(), threads.receivers(), threads.fps(),
                    threads.streams(), (processes.rssSenderMb() - threads.rssSenderMb()) / extra,
                    (processes.coresSender() + processes.coresReceiver() - threads.coresSender() - threads.coresReceiver()) / extra,
                    (processes.p99Us() - threads.p99Us()) / 1e3));
        }
        return prices;
    }
}
