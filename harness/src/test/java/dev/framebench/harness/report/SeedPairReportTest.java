package dev.framebench.harness.report;

import dev.framebench.harness.results.BenchmarkRow;
import dev.framebench.harness.results.Estimate;
import dev.framebench.harness.results.RunResults;
import dev.framebench.harness.results.StorageFigures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's pair beside the JVM ends and the best ring, with the claim line and the browser's CPU by kind of process, on round numbers. */
class SeedPairReportTest {
    @Test
    void theTableOrdersTheSeedsPairFirstAndTheBestRingLastWithTheClaimAndTheKinds() {
        BenchmarkRow seed = row("ws-netty", "chromium", "python", 0.5, 3.0, 2.0,
                Map.of("sender.renderer", e(1.5), "sender.network", e(0.9), "sender.browser", e(0.6), "receiver.python", e(2.0)));
        BenchmarkRow chromiumJvm = row("ws-netty", "chromium", "jvm", 0.8, 3.0, 0.5, Map.of());
        BenchmarkRow jvmPython = row("ws-netty", "jvm", "python", 0.7, 0.4, 2.0, Map.of());
        BenchmarkRow netty = row("ws-netty", "jvm", "jvm", 2.0, 0.4, 0.5, Map.of());
        BenchmarkRow javaws = row("ws-javaws", "jvm", "jvm", 1.5, 0.5, 0.6, Map.of());
        BenchmarkRow ffm = row("shm-ffm", "jvm", "jvm", 6.0, 0.2, 0.3, Map.of());
        BenchmarkRow agrona = row("shm-agrona", "jvm", "jvm", 5.0, 0.2, 0.3, Map.of());
        BenchmarkRow tcp = row("tcp", "jvm", "jvm", 3.0, 0.3, 0.3, Map.of());
        RunResults results = new RunResults(List.of(tcp, netty, javaws, ffm, agrona, jvmPython, chromiumJvm, seed), List.of());

        assertEquals(List.of(seed, chromiumJvm, jvmPython, netty, javaws, ffm), SeedPairReport.rowsOf(results, "1080p-i420"));
        String text = Summary.table(results);
        assertTrue(text.contains("ws-netty chromium->python"), "the summary names the ends: " + text);
        assertTrue(text.contains("claim: chromium -> python over WebSocket (ws-netty): 5.000 s/GB; shm-ffm between two JVMs: 0.500 s/GB;"
                + " the WebSocket pair takes 10.0x the CPU per GB of the ring"), text);
        assertTrue(text.contains("sender.renderer 1.500 s/GB (50% of the sender)"), text);
        assertTrue(text.contains("receiver.python 2.000 s/GB (100% of the receiver)"), text);
        String md = SeedPairReport.markdown(results);
        assertTrue(md.startsWith("## The seed's pair: Chromium to Python over WebSocket"), md);
        assertTrue(md.contains("| `ws-netty` | chromium | python | 0.500 (0.500–0.500) |"), md);
        assertTrue(md.contains("|---|---|---|---:|---:|---:|---:|"), "names left, figures right: " + md);
    }

    @Test
    void withoutTheSeedsPairTheClaimComparesTheJvmWebSocketPair() {
        BenchmarkRow jvmPython = row("ws-netty", "jvm", "python", 0.7, 0.4, 2.0, Map.of());
        BenchmarkRow netty = row("ws-netty", "jvm", "jvm", 2.0, 0.4, 0.6, Map.of());
        BenchmarkRow ffm = row("shm-ffm", "jvm", "jvm", 6.0, 0.2, 0.3, Map.of());
        String line = SeedPairReport.claim(List.of(jvmPython, netty, ffm)).orElseThrow();
        assertTrue(line.startsWith("claim: jvm -> jvm over WebSocket (ws-netty): 1.000 s/GB; shm-ffm"), line);
    }

    @Test
    void onlyJvmEndsNoSection() {
        RunResults results = new RunResults(List.of(row("ws-netty", "jvm", "jvm", 2.0, 0.4, 0.5, Map.of()),
                row("shm-ffm", "jvm", "jvm", 6.0, 0.2, 0.3, Map.of())), List.of());
        assertEquals("", SeedPairReport.table(results));
        assertEquals("", SeedPairReport.markdown(results));
    }

    private static BenchmarkRow row(String transport, String sender, String receiver, double gbps, double send, double receive, Map<String, Estimate> kinds) {
        return new BenchmarkRow(transport, "1080p-i420", "read", e(gbps * 1e9 / 3_110_464), e(gbps), e(send), e(receive), e(send + receive),
                e(send + receive), e(200), e(200), Estimate.ABSENT, StorageFigures.NONE, sender, receiver, kinds);
    }

    private static Estimate e(double value) {
        return Estimate.fromForks(List.of(value, value, value));
    }
}
