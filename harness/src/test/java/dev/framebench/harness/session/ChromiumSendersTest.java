package dev.framebench.harness.session;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.FrameVerifier;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.peer.Topology;
import dev.framebench.harness.profiler.CollapsedStacks;
import dev.framebench.harness.profiler.SenderFlames;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real headless Chromium sends framebench frames over its own WebSocket to the JVM's receivers, each
 * frame verified (header, sequence, CRC-32C); it fails, not skips, where Chromium is missing (CI installs it).
 */
class ChromiumSendersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** TestPattern's picture 0 of 1080p-i420 (FramePoolTest pins it for the JVM's pool). */
    private static final int PICTURE_ZERO_CRC = 0xf1ec1de7;
    private static final int FRAMES = 300;

    @Test
    void chromiumSendsVerifiedFramesToWsNetty() throws Exception {
        sendsVerifiedFrames("ws-netty");
    }

    @Test
    void chromiumSendsVerifiedFramesToWsJavaws() throws Exception {
        sendsVerifiedFrames("ws-javaws");
    }

    private static void sendsVerifiedFrames(String transport) throws Exception {
        FrameVerifier verifier = new FrameVerifier();
        WindowSample first;
        WindowSample last;
        long drained;
        FrameSession session = FrameSession.open(TransportRegistry.byName(transport), FramePreset.P1080_I420, TransportOptions.NONE,
                ConsumeMode.VERIFY, SenderKind.CHROMIUM, ReceiverKind.JVM, TIMEOUT);
        try {
            MemorySegment frame = session.receive();
            assertEquals(0, FrameHeader.sequence(frame));
            assertEquals(PICTURE_ZERO_CRC, FrameHeader.payloadCrc32c(frame), "the page renders framebench's own pattern");
            verifier.verify(frame);
            session.release();
            first = session.sample();
            // --flames: a browser has no async-profiler; perf samples its processes over the same window instead.
            String ready = session.profileSender(SenderFlames.PREPARE + " cpu auto");
            assertTrue(ready.startsWith(SenderFlames.READY + " perf-cpu-clock "), ready);
            assertEquals("running", session.profileSender(SenderFlames.RESUME));
            for (int i = 1; i < FRAMES; i++) {
                verifier.verify(session.receive());
                session.release();
            }
            assertEquals("paused", session.profileSender(SenderFlames.PAUSE));
            last = session.sample();
            Path flames = Files.createTempDirectory("framebench-flames-test");
            try {
                String written = session.profileSender(SenderFlames.FINISH + " " + flames.resolve("sender"));
                assertTrue(written.startsWith("written "), written);
                CollapsedStacks stacks = CollapsedStacks.read(flames.resolve("sender.collapsed"));
                assertTrue(stacks.samples().keySet().stream().anyMatch(stack -> stack.getFirst().equals("renderer")),
                        "stacks rooted at the renderer: " + stacks.samples().keySet().stream().map(List::getFirst).distinct().toList());
                assertTrue(Files.readString(flames.resolve("sender.html")).contains("<svg"));
            } finally {
                try (var files = Files.list(flames)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(flames);
            }
            drained = session.stopAndDrain(verifier::verify);
        } finally {
            session.close();
        }
        assertNotNull(session.senderStats(), "the page stopped cleanly and reported its stats");
        assertEquals(FRAMES + drained, session.senderStats().frames(), "every frame the page sent arrived: " + session.senderStats());
        assertEquals(session.senderStats().frames() * FramePreset.P1080_I420.frameBytes(), session.senderStats().bytes());
        assertTrue(last.senderCpuByKind().containsKey("browser") && last.senderCpuByKind().containsKey("renderer"),
                "the browser's CPU by kind of process: " + last.senderCpuByKind());
        report(transport, first, last);
    }

    /** The measured facts of a run, for the record (not asserted: performance is shown by benchmarks). */
    private static void report(String transport, WindowSample first, WindowSample last) {
        double seconds = (last.wallNanos() - first.wallNanos()) / 1e9;
        long senderCpu = last.senderCpuNanos() - first.senderCpuNanos();
        StringBuilder kinds = new StringBuilder();
        for (Map.Entry<String, Long> kind : last.senderCpuByKind().entrySet()) {
            long nanos = kind.getValue() - first.senderCpuByKind().getOrDefault(kind.getKey(), 0L);
            kinds.append(String.format(Locale.ROOT, " %s=%.0f%%", kind.getKey(), 100.0 * nanos / Math.max(1, senderCpu)));
        }
        System.out.printf(Locale.ROOT, "chromium -> %s: %d frames in %.2f s = %.2f GB/s; sender CPU %.2f cores (%s), receiver %.2f cores%n",
                transport, last.frames() - first.frames(), seconds, (last.bytes() - first.bytes()) / 1e9 / seconds, senderCpu / 1e9 / seconds,
                kinds.toString().trim(), (last.receiverCpuNanos() - first.receiverCpuNanos()) / 1e9 / seconds);
    }

    @Test
    void chromiumKeepsAPacedScheduleAndItsLatenciesAreRecorded() {
        PacedSchedule schedule = PacedSchedule.ofFps("30");
        long wanted = 60;
        long windowStart;
        WindowSample first;
        WindowSample last;
        Histogram latencies;
        PacedSession session = PacedSession.open(TransportRegistry.byName("ws-netty"), FramePreset.P1080_I420, TransportOptions.NONE,
                ConsumeMode.VERIFY, 1, schedule, Topology.THREAD_PER_STREAM, Receivers.PER_STREAM, SenderKind.CHROMIUM, ReceiverKind.JVM, TIMEOUT, ReceiverStall.NONE);
        try {
            session.awaitArrival();
            session.intervalHistogram();
            windowStart = System.nanoTime();
            first = session.sample();
            while (session.sample().frames() < wanted) {
                session.awaitArrival();
            }
            last = session.sample();
            latencies = session.intervalHistogram();
        } finally {
            session.close();
        }
        double fps = (last.frames() - first.frames()) / ((last.wallNanos() - first.wallNanos()) / 1e9);
        assertTrue(last.frames() - first.frames() <= PacedPythonReceiverTest.aheadOfNoSchedule(windowStart, last, latencies, schedule),
                "the page keeps its schedule, never ahead of it: " + (last.frames() - first.frames()) + " frames, " + fps + " frames/s");
        assertEquals(0, last.dropped(), "every frame in order: " + last);
        assertTrue(latencies.getTotalCount() >= wanted - 2, "one latency per frame: " + latencies.getTotalCount());
        // A latency is receive time less the intended send time the page stamped on CLOCK_MONOTONIC: a frame cannot
        // arrive before it was due, and a mapping off by the page's time origin would read seconds or hours.
        assertTrue(latencies.getMinValue() > 0 && latencies.getValueAtPercentile(50) < 1_000_000_000L,
                "latencies min " + latencies.getMinValue() + " ns, p50 " + latencies.getValueAtPercentile(50) + " ns");
        assertNotNull(session.senderStats(), "the page stopped cleanly and reported its stats");
        System.out.printf(Locale.ROOT, "chromium paced 30 fps 1080p-i420 -> ws-netty: %.1f frames/s, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms,"
                        + " framesBehind %d, sender CPU %.3f cores%n", fps, latencies.getValueAtPercentile(50) / 1e6,
                latencies.getValueAtPercentile(99) / 1e6, latencies.getMaxValue() / 1e6, session.senderStats().framesBehind(),
                (last.senderCpuNanos() - first.senderCpuNanos()) / ((last.wallNanos() - first.wallNanos()) * 1.0));
    }

    @Test
    void chromiumSendsEachPacedStreamOnASocketOfItsOwn() {
        int streams = 2;
        long wanted = 40;
        WindowSample sample;
        PacedSession session = PacedSession.open(TransportRegistry.byName("ws-netty"), FramePreset.P720_I420, TransportOptions.NONE,
                ConsumeMode.VERIFY, streams, PacedSchedule.ofFps("30"), Topology.THREAD_PER_STREAM, Receivers.PER_STREAM, SenderKind.CHROMIUM,
                ReceiverKind.JVM, TIMEOUT, ReceiverStall.NONE);
        try {
            assertEquals(1, session.senderProcesses(), "one browser sends every stream");
            while (session.sample().frames() < wanted) {
                session.awaitArrival();
            }
            sample = session.sample();
        } finally {
            session.close();
        }
        assertEquals(0, sample.dropped(), "each stream whole and in order on its own receiver: " + sample);
        assertNotNull(session.senderStats(), "the page stopped every stream cleanly");
        assertTrue(session.senderStats().frames() >= wanted, session.senderStats().toString());
    }
}
