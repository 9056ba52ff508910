package dev.framebench.harness.session;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.peer.Topology;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paced streams into the seed's Python receiver: a JVM sender keeps 30 fps, each frame's latency ends at its
 * arrival in the Python process (its CLOCK_MONOTONIC receive time, carried by the receipt), and the
 * receiver's CPU is the Python process's.
 */
class PacedPythonReceiverTest {
    @Test
    void aPythonReceiverTakesPacedStreamsAndTheirLatenciesEndWhereItReceived() {
        long wanted = 45;
        long windowStart;
        WindowSample first;
        WindowSample last;
        Histogram latencies;
        PacedSession session = PacedSession.open(TransportRegistry.byName("ws-netty"), FramePreset.P720_I420, TransportOptions.NONE,
                ConsumeMode.VERIFY, 2, PacedSchedule.ofFps("30"), Topology.THREAD_PER_STREAM, Receivers.PER_STREAM, SenderKind.JVM,
                ReceiverKind.PYTHON, Duration.ofSeconds(30), ReceiverStall.NONE);
        try {
            session.awaitArrival();
            session.intervalHistogram();
            windowStart = System.nanoTime();
            first = session.sample();
            while (session.sample().frames() < wanted * 2) {
                session.awaitArrival();
            }
            last = session.sample();
            latencies = session.intervalHistogram();
        } finally {
            session.close();
        }
        double fps = (last.frames() - first.frames()) / ((last.wallNanos() - first.wallNanos()) / 1e9);
        assertTrue(last.frames() - first.frames() <= 2 * aheadOfNoSchedule(windowStart, last, latencies, PacedSchedule.ofFps("30")),
                "two paced streams deliver no more than their schedule allows: " + (last.frames() - first.frames()) + " frames, " + fps + " frames/s");
        assertEquals(0, last.dropped(), "every frame in order: " + last);
        // Receive time in Python less the intended send time in the JVM, one clock: never negative, never seconds.
        assertTrue(latencies.getMinValue() > 0 && latencies.getValueAtPercentile(50) < 1_000_000_000L,
                "latencies min " + latencies.getMinValue() + " ns, p50 " + latencies.getValueAtPercentile(50) + " ns");
        assertTrue(last.receiverCpuByKind().containsKey("python"), "the receiver's CPU is the Python processes': " + last.receiverCpuByKind());
        assertTrue(last.receiverCpuNanos() > first.receiverCpuNanos(), "and it grew while they received");
        System.out.printf(Locale.ROOT, "jvm -> python paced 2 x 30 fps 720p-i420 over ws-netty: %.1f frames/s, latency p50 %.2f ms, p99 %.2f ms%n",
                fps, latencies.getValueAtPercentile(50) / 1e6, latencies.getValueAtPercentile(99) / 1e6);
    }

    /**
     * The most frames one paced stream can deliver from {@code windowStart} to {@code last}: frame k is due at
     * start + k x interval and arrives after it, so the frames arriving in the window were due no earlier than
     * its start less the largest latency recorded. Not a timing threshold: a sender that keeps its schedule
     * stays under it on any machine; one in saturation exceeds it many times over.
     */
    static long aheadOfNoSchedule(long windowStart, WindowSample last, Histogram latencies, PacedSchedule schedule) {
        return (last.wallNanos() - windowStart + latencies.getMaxValue()) / schedule.intervalNanos() + 1;
    }
}
