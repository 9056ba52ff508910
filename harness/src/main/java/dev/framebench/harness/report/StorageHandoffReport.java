package dev.framebench.harness.report;

import dev.framebench.harness.metrics.CostModel;
import dev.framebench.harness.metrics.RequestPrices;
import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.transport.TransportOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The storage hand-offs beside the monolith, as the video team's finding put them: frames handed over in
 * memory ({@code inproc-copy}), through files ({@code file-handoff}) and through an object store over the S3
 * API ({@code s3-handoff}), each priced by the CPU of every process involved (the store's too) and by the
 * store's requests, with framebench's saving next to the seed's "90%".
 *
 * <p>The seed: Prime Video Tech, "Scaling up the Prime Video audio/video monitoring service and reducing costs
 * by 90%" (2023): frames passed between distributed components through an S3 bucket, whose Tier-1 requests
 * were the expensive part, then handed over in memory inside one process.
 */
public final class StorageHandoffReport {
    /** The monolith the seed moved to: one copy in memory, no store, no request. */
    static final String MONOLITH = "inproc-copy";
    /** Requests each transport makes per frame: s3-handoff's sender PUTs, its receiver GETs and DELETEs. */
    static final Map<String, Integer> REQUESTS_PER_FRAME = Map.of("s3-handoff", 3);
    static final List<String> COMPARED = List.of(MONOLITH, "file-handoff", "s3-handoff");
    static final String SEED = "Prime Video Tech, \"Scaling up the Prime Video audio/video monitoring service and reducing costs by 90%\"";

    private StorageHandoffReport() {
    }

    /** For summary.txt: the store's own figures, one row per benchmark a store carried; empty when none did. */
    public static String storeTable(RunResults results) {
        List<BenchmarkRow> stored = results.rows().stream().filter(BenchmarkRow::hasStorage).toList();
        if (stored.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%nthe store, a third process (s3-handoff's S3Proxy JVM), not in cpu.total:%n"));
        String row = "%-16s %-11s %12s %10s %12s%n";
        t.append(String.format(Locale.ROOT, row, "transport", "frame", "cpu.storage", "cpu.all", "rss.storage"));
        t.append(String.format(Locale.ROOT, row, "", "", "s/GB", "s/GB", "MB"));
        for (BenchmarkRow r : stored) {
            t.append(String.format(Locale.ROOT, row, r.transport(), r.frame(), decimals(r.storage().cpuStorageSPerGb(), 4),
                    decimals(r.storage().cpuAllSPerGb(), 4), decimals(r.storage().rssStorageMb(), 0)));
        }
        return t.append(String.format(Locale.ROOT, "cpu.all: sender + receiver + store, every process the hand-off involves%n")).toString();
    }

    /**
     * For the run's README: per frame, the monolith and the storage hand-offs that ran, with every process's
     * CPU, the requests a store serves at 1 TB/s and $/year; empty unless s3-handoff or file-handoff ran.
     */
    public static String markdown(RunResults results, CostModel cost, String transportOptions) {
        StringBuilder md = new StringBuilder();
        for (String frame : results.frames()) {
            List<BenchmarkRow> rows = new ArrayList<>();
            for (String transport : COMPARED) {
                find(results, transport, frame).ifPresent(rows::add);
            }
            if (rows.stream().noneMatch(r -> !r.transport().equals(MONOLITH))) {
                continue;
            }
            md.append("### ").append(frame).append("\n\n");
            md.append(Markdown.header(List.of("transport", "GB/s", "cpu.send s/GB", "cpu.recv s/GB", "cpu.storage s/GB", "cpu.all s/GB",
                    "requests/s at 1 TB/s", "$/year CPU", "$/year requests", "$/year in all"), "lr"));
            for (BenchmarkRow r : rows) {
                md.append(Markdown.row(List.of("`" + r.transport() + "`", Markdown.withInterval(r.gbps(), 3),
                        Markdown.withInterval(r.cpuSenderSPerGb(), 4), Markdown.withInterval(r.cpuReceiverSPerGb(), 4),
                        r.hasStorage() ? Markdown.withInterval(r.storage().cpuStorageSPerGb(), 4) : "-",
                        Markdown.withInterval(r.cpuAllSPerGb(), 4), Markdown.number(requestsPerSecond(r, cost.requests()), 0),
                        "$" + Markdown.number(cpuUsdPerYear(r, cost), 0), "$" + Markdown.number(requestsUsdPerYear(r, cost.requests()), 0),
                        "$" + Markdown.number(totalUsdPerYear(r, cost), 0))));
            }
            md.append('\n');
            Optional<BenchmarkRow> monolith = find(results, MONOLITH, frame);
            for (BenchmarkRow r : rows) {
                if (monolith.isPresent() && !r.transport().equals(MONOLITH)) {
                    md.append("- `").append(r.transport()).append("` -> `").append(MONOLITH).append("`: $/year in all ")
                            .append(change(totalUsdPerYear(r, cost), totalUsdPerYear(monolith.get(), cost))).append(", CPU per GB ")
                            .append(change(r.cpuAllSPerGb().score(), monolith.get().cpuAllSPerGb().score()))
                            .append(" (the seed: \"over 90%\" less).\n");
                }
            }
            md.append('\n');
        }
        if (md.isEmpty()) {
            return "";
        }
        RequestPrices prices = cost.requests();
        String intro = "## Storage hand-offs and the monolith\n\n"
                + "The seed: " + SEED + ": frames passed between services through S3, then handed over in memory inside one process, "
                + "for \"over 90%\" less. Here the storage hand-offs of this run beside the monolith, same frames, same run; CPU at $"
                + plain(cost.usdPerVcpuHour()) + " per vCPU-hour. ";
        if (results.rows().stream().noneMatch(r -> REQUESTS_PER_FRAME.containsKey(r.transport()))) {
            return intro + "s3-handoff did not run: `scripts/bench.sh --profile storage` adds it.\n\n" + md;
        }
        return intro + "`cpu.all` counts every process involved (sender, receiver and, for s3-handoff, its store); requests are "
                + "s3-handoff's PUT, GET and DELETE of each frame, priced at $" + plain(prices.usdPer1000Puts()) + " / $"
                + plain(prices.usdPer1000Gets()) + " / $" + plain(prices.usdPer1000Deletes()) + " per 1,000 PUT / GET / DELETE ("
                + prices.source() + "). s3-handoff's store: " + store(transportOptions) + ".\n\n" + md;
    }

    /** Which store s3-handoff used, from the run's transport options: its own S3Proxy, or the bucket they name. */
    static String store(String transportOptions) {
        TransportOptions options;
        try {
            options = TransportOptions.parse(transportOptions);
        } catch (RuntimeException e) {
            return "as the run's options say (" + transportOptions + ")";
        }
        if (!options.has("s3.bucket")) {
            return "S3Proxy started by the receiver on loopback in a JVM of its own (s3.storage=" + options.get("s3.storage", "memory")
                    + "; its release is in jmh.log's store line), measured as a third process";
        }
        return "bucket " + options.get("s3.bucket", "") + (options.has("s3.endpoint") ? " at " + options.get("s3.endpoint", "")
                : " in AWS S3 " + options.get("s3.region", "us-east-1")) + ", region " + options.get("s3.region", "us-east-1")
                + " (its CPU is not measured: it is not a process of this machine)";
    }

    static double requestsPerSecond(BenchmarkRow r, RequestPrices prices) {
        return REQUESTS_PER_FRAME.containsKey(r.transport()) ? REQUESTS_PER_FRAME.get(r.transport()) / 3.0 * prices.requestsPerSecondForFleet(r.frameBytes()) : 0;
    }

    static double requestsUsdPerYear(BenchmarkRow r, RequestPrices prices) {
        return REQUESTS_PER_FRAME.containsKey(r.transport()) ? prices.usdPerYearForFleet(r.frameBytes()) : 0;
    }

    static double cpuUsdPerYear(BenchmarkRow r, CostModel cost) {
        return cost.usdPerYearForFleet(r.cpuAllSPerGb().score());
    }

    static double totalUsdPerYear(BenchmarkRow r, CostModel cost) {
        return cpuUsdPerYear(r, cost) + requestsUsdPerYear(r, cost.requests());
    }

    /** The change from {@code before} to {@code after}: "-97.1%", "+12.0%"; "no figure" without both. */
    static String change(double before, double after) {
        if (!Double.isFinite(before) || !Double.isFinite(after) || before <= 0) {
            return "no figure";
        }
        return String.format(Locale.ROOT, "%+.1f%%", 100 * (after / before - 1));
    }

    private static Optional<BenchmarkRow> find(RunResults results, String transport, String frame) {
        return results.rowsOf(frame).stream().filter(r -> r.transport().equals(transport)).findFirst();
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String decimals(Estimate e, int decimals) {
        return e.present() ? String.format(Locale.ROOT, "%." + decimals + "f", e.score()) : "-";
    }
}
