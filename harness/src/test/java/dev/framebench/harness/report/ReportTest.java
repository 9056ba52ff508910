package dev.framebench.harness.report;

import dev.framebench.harness.results.SummaryFiles;
import dev.framebench.harness.run.InstancePrices;
import com.fasterxml.jackson.databind.JsonNode;
import dev.framebench.harness.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** framebench report and index on fixture runs: the files a results folder gets and what its README shows. */
class ReportTest {
    static final String TWO_FRAMES = "report/two-frames/jmh.json";
    static final String ENV = """
            {"recordedUtc":"2026-12-01T21:00:00Z","hostname":"bench-box","cpu":{"model":"AMD EPYC 9R14","logicalCores":2},
             "memoryMB":4000,"kernel":"6.1.0","distribution":"Ubuntu 24.04 LTS","jdk":{"version":"25.0.3+9-LTS","vendor":"Amazon.com Inc."},
             "framebench":{"commit":"0123456789abcdef0123","dirty":false},
             "profile":{"name":"quick","forks":"1","warmupIterations":"3","warmupSeconds":"1","iterations":"5","iterationSeconds":"1",
                        "consume":"read","usdPerVcpuHour":"0.05"},
             "ec2":{"detected":true,"instanceType":"c7a.large","region":"eu-west-1"},"label":"c7a.large"}
            """;

    static int report(PrintStream err, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "report";
        System.arraycopy(args, 0, argv, 1, args.length);
        return Main.run(argv, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), err);
    }

    static Path reported(Path dir) throws IOException {
        Path run = Fixtures.runFolder(dir, TWO_FRAMES);
        Files.writeString(run.resolve("env.json"), ENV);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, report(new PrintStream(err, true, StandardCharsets.UTF_8), run.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "no warnings: charts drew");
        return run;
    }

    @Test
    void writesSummariesChartsAndReadme(@TempDir Path dir) throws IOException {
        Path run = reported(dir.resolve("2026-12-01T2100Z_c7a.large_quick"));
        for (String chart : List.of("gbps.svg", "ratio.svg", "cpu_1080p-i420.svg", "cpu_1080p-rgba.svg", "cost.svg", "cost_vs_frame.svg")) {
            String svg = Files.readString(run.resolve("charts").resolve(chart));
            assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains(">tcp</text>"), chart + " is a drawn SVG, its text as text");
            assertTrue(svg.length() < 30_000, chart + ": " + svg.length() + " characters");
        }
        String readme = Files.readString(run.resolve("README.md"));
        assertTrue(readme.startsWith("# framebench run `2026-12-01T2100Z_c7a.large_quick`"), readme);
        assertTrue(readme.contains("EC2 `c7a.large` in eu-west-1, AMD EPYC 9R14, 2 logical cores"), readme);
        assertTrue(readme.contains("framebench `0123456789ab`; profile `quick`"), readme);
        assertTrue(readme.contains("## 1080p-i420") && readme.contains("## 1080p-rgba"), readme);
        assertTrue(readme.contains("![Throughput: GB/s per transport (higher is better)](charts/gbps.svg)"), readme);
        assertTrue(readme.contains("![$/year at 1 TB/s against frame size (lower is cheaper)](charts/cost_vs_frame.svg)"), readme);
        assertTrue(readme.contains("CPU priced at $0.05 per vCPU-hour"), readme);
        assertTrue(readme.contains("| `inproc-copy` | 1080p-i420 | 0.1500 | 150 | $65,7"), "0.15 s/GB: 150 vCPUs x $0.05 x 8,766 h = about $65,700:\n" + readme);
        assertFalse(readme.contains("Flame graphs"), "not profiled");

        String csv = Files.readString(run.resolve("summary.csv"));
        assertEquals(SummaryFiles.CSV_HEADER, csv.lines().findFirst().orElseThrow());
        assertEquals(1 + 6, csv.lines().count(), "one row per transport x frame, the memcpy baseline apart");
        assertTrue(csv.contains("\ninproc-copy,1080p-i420,read,"), csv);

        JsonNode summary = Fixtures.MAPPER.readTree(Files.readString(run.resolve("summary.json")));
        JsonNode tcp = summary.path("rows").get(2);
        assertEquals("tcp", tcp.path("transport").asText());
        assertEquals(3110400, tcp.path("frameBytes").asLong());
        assertEquals(tcp.path("gbps").path("score").asDouble() / summary.path("rows").get(0).path("gbps").path("score").asDouble(),
                tcp.path("gbpsVsInprocCopy").asDouble(), 1e-12, "ratio to inproc-copy of the same frame");
        assertTrue(tcp.path("gbps").path("error").isNull(), "JMH's NaN error becomes null, JSON has no NaN");
        assertEquals(1, summary.path("baselines").size());
    }

    @Test
    void flameGraphsAndHotFramesAreLinkedWhenPresent(@TempDir Path dir) throws IOException {
        Path run = Fixtures.runFolder(dir.resolve("run"), TWO_FRAMES);
        Path flames = Files.createDirectories(run.resolve("flames"));
        Files.writeString(flames.resolve("tcp_1080p-i420_sender.html"), "<html></html>");
        Files.writeString(flames.resolve("tcp_1080p-i420_receiver.html"), "<html></html>");
        Files.writeString(flames.resolve("tcp_1080p-i420_hot.json"), """
                {"transport": "tcp", "frame": "1080p-i420", "profiled": true,
                 "sender": {"profiled": false, "why": "the sender is a thread of the receiver JVM"},
                 "receiver": {"profiled": true, "event": "itimer", "samples": 200,
                   "top": [{"frame": "sun/nio/ch/IOUtil.read", "samples": 83, "share": 0.415},
                           {"frame": "a|b", "samples": 18, "share": 0.0925}]}}
                """);
        Files.writeString(flames.resolve("uds-jdk_1080p-i420_hot.json"), "not json");
        assertEquals(0, report(System.err, run.toString()));
        String readme = Files.readString(run.resolve("README.md"));
        assertTrue(readme.contains("- [tcp 1080p-i420 receiver](flames/tcp_1080p-i420_receiver.html)"), readme);
        assertTrue(readme.contains("**receiver** (event `itimer`, 200 samples)"), readme);
        assertTrue(readme.contains("| 41.5 | 83 | `sun/nio/ch/IOUtil.read` |"), readme);
        assertTrue(readme.contains("| 9.2 | 18 | `a\\|b` |") || readme.contains("| 9.3 | 18 | `a\\|b` |"), readme);
        assertTrue(readme.contains("**sender:** not profiled (the sender is a thread of the receiver JVM)."), readme);
        assertTrue(readme.contains("See [uds-jdk_1080p-i420_hot.json](flames/uds-jdk_1080p-i420_hot.json)."), "unreadable: linked");
        assertTrue(readme.contains("host unknown (no env.json)"), "a run without env.json still reports");
    }

    @Test
    void aChartThatCannotBeWrittenFailsTheReportInOneLine(@TempDir Path dir) throws IOException {
        Path run = Fixtures.runFolder(dir.resolve("run"), TWO_FRAMES);
        // A file where the charts folder goes: every chart's write fails, as on a full disk.
        Files.writeString(run.resolve("charts"), "not a folder");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, report(new PrintStream(err, true, StandardCharsets.UTF_8), run.toString()));
        String line = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("framebench: charts not drawn in ") && line.contains("a results folder without them is incomplete"), line);
    }

    @Test
    void pacedStreamsGetTheirTableChartsAndProcessPrice(@TempDir Path dir) throws IOException {
        Path run = Fixtures.runFolder(dir.resolve("run"), TWO_FRAMES);
        Path paced = Files.createDirectories(run.resolve("paced"));
        Files.writeString(paced.resolve("jmh.json"), """
                [{"benchmark": "dev.framebench.harness.jmh.PacedStreamsBenchmark.frameArrives",
                  "params": {"transport": "shm-ffm", "frame": "1080p-i420", "consume": "read", "options": "idle=futex",
                             "streams": "4", "fps": "30", "topology": "process-per-stream", "receivers": "per-stream"},
                  "primaryMetric": {"score": 120.0, "scoreError": "NaN"},
                  "secondaryMetrics": {"latency.p50.us": {"score": 410.0}, "latency.p90.us": {"score": 900.0},
                    "latency.p99.us": {"score": 1900.0}, "latency.p999.us": {"score": 2500.0}, "latency.max.us": {"score": 3100.0},
                    "fps.achieved": {"score": 30.0}, "frames.late": {"score": 0.0}, "frames.dropped": {"score": 0.0},
                    "cores.sender": {"score": 0.05}, "cores.receiver": {"score": 0.03}, "cores.perStream": {"score": 0.02},
                    "rss.sender.MB": {"score": 400.0}, "rss.receiver.MB": {"score": 150.0}}},
                 {"benchmark": "dev.framebench.harness.jmh.PacedStreamsBenchmark.frameArrives",
                  "params": {"transport": "shm-ffm", "frame": "1080p-i420", "consume": "read", "options": "idle=futex",
                             "streams": "4", "fps": "30", "topology": "thread-per-stream", "receivers": "per-stream"},
                  "primaryMetric": {"score": 120.0, "scoreError": "NaN"},
                  "secondaryMetrics": {"latency.p50.us": {"score": 400.0}, "latency.p99.us": {"score": 1300.0},
                    "fps.achieved": {"score": 30.0}, "cores.sender": {"score": 0.02}, "cores.receiver": {"score": 0.03},
                    "rss.sender.MB": {"score": 205.0}, "rss.receiver.MB": {"score": 150.0}}},
                 {"benchmark": "dev.framebench.harness.jmh.FrameThroughputBenchmark.receiveFrame", "params": {}}]
                """);
        assertEquals(0, report(System.err, run.toString()));
        String readme = Files.readString(run.resolve("README.md"));
        assertTrue(readme.contains("## Paced streams"), readme);
        assertTrue(readme.contains("| `shm-ffm idle=futex process-per-stream N=4` | 30.0 / 30 | 410 | 1,900 | 2,500 | 3,100 | 0 | 0 |"), readme);
        assertTrue(readme.contains("| 0.0200 | 50.0 | 400 | 150 |"), "streams per core = 1 / cores per stream: " + readme);
        // Computed from jmh.json, not copied from summary.txt: (400 - 205) MB / 3 extra JVMs, (0.08 - 0.05) cores / 3, 1.9 - 1.3 ms.
        assertTrue(readme.contains("price of a process per stream"), readme);
        assertTrue(readme.matches("(?s).*shm-ffm\\s+1080p-i420\\s+idle=futex\\s+30\\s+4\\s+\\+65\\.0\\s+\\+0\\.0100\\s+\\+0\\.60.*"), readme);
        assertTrue(Files.readString(run.resolve("charts/paced_latency.svg")).contains(">shm-ffm idle=futex process-per-stream N=4</text>"));
        assertTrue(Files.readString(run.resolve("charts/paced_streams_per_core.svg")).contains(">streams per core</text>"));
    }

    @Test
    void folderWithoutJmhJsonIsOneLineError(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, report(new PrintStream(err, true, StandardCharsets.UTF_8), dir.toString()));
        assertEquals("framebench: no results in " + dir + " (no jmh.json); give a folder scripts/bench-all.sh or scripts/bench.sh wrote",
                err.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void indexListsRunsNewestFirstWithoutBaselineOrPartialFolders(@TempDir Path results) throws IOException {
        assertTrue(ResultsIndex.render(results, InstancePrices.NONE).contains("No runs published yet"));
        Path older = reported(results.resolve("2026-11-30T0900Z_bench-box_quick"));
        Path newer = reported(results.resolve("2026-12-01T2100Z_c7a.large_quick"));
        Files.writeString(older.resolve("env.json"), ENV.replace("2026-12-01T21:00:00Z", "2026-11-30T09:00:00Z"));
        reported(results.resolve(ResultsIndex.BASELINE));
        reported(results.resolve(".2026-12-02T0000Z_x_quick.partial-1"));
        Path readme = ResultsIndex.write(results, InstancePrices.NONE);
        String index = Files.readString(readme);
        int newAt = index.indexOf("## [" + newer.getFileName() + "](" + newer.getFileName() + "/README.md)");
        int oldAt = index.indexOf("## [" + older.getFileName() + "]");
        assertTrue(newAt > 0 && oldAt > newAt, index);
        assertFalse(index.contains("## [baseline]") || index.contains("partial"), index);
        assertTrue(index.contains("| `tcp` | 1080p-i420 |"), index);
        assertFalse(index.contains("| `tcp` | 1080p-rgba |"), "the index shows the 1080p I420 rows; the run's README has the rest");
        assertTrue(index.contains("| transport | frame | forks | GB/s |") && index.contains("| `tcp` | 1080p-i420 | 1 |"), index);
        assertTrue(index.contains("1 fork, no interval"), index);
        assertFalse(index.contains(ResultsIndex.ACROSS_INSTANCES), "one instance type (c7a.large twice, and a host off EC2): no table");
        try (Stream<Path> files = Files.list(results)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".partial-") && Files.isRegularFile(p)), "no temporary files left");
        }
    }
}
