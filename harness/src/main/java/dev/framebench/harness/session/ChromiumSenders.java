package dev.framebench.harness.session;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.peer.SenderStats;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.time.Duration;
import java.util.List;

/** STUB (to be built): the seed's sender, a page in headless Chromium. */
final class ChromiumSenders implements SenderSide {
    private ChromiumSenders() {
    }

    /**
     * Starts one headless Chromium whose page sends stream i to {@code endpoints[i]} over the browser's own
     * WebSocket, presenting {@code token}'s hello; {@code schedule} null means as fast as the socket takes them.
     */
    static ChromiumSenders launch(Transport transport, List<String> endpoints, FramePreset preset, TransportOptions options, RunToken token,
                                  PacedSchedule schedule, Duration timeout) {
        throw new TransportException("the chromium sender is not built yet");
    }

    /** As {@link PeerSenders#awaitReady}: every stream's socket open and its hello sent, while {@code accept} takes them. */
    void awaitReady(Runnable accept, long deadlineNanos) {
        throw new UnsupportedOperationException();
    }

    @Override public void start() { throw new UnsupportedOperationException(); }
    @Override public void stop() { throw new UnsupportedOperationException(); }
    @Override public SenderStats awaitStats(long deadlineNanos) { throw new UnsupportedOperationException(); }
    @Override public long cpuNanos() { return -1; }
    @Override public long peakRssBytes() { return 0; }
    @Override public boolean inReceiverJvm() { return false; }
    @Override public int processes() { return 0; }
    @Override public boolean alive() { return false; }
    @Override public String fate(long waitMillis) { return ""; }
    @Override public String profile(String command, long deadlineNanos) { throw new UnsupportedOperationException(); }
    @Override public String describe() { return "chromium"; }
    @Override public String who() { return "chromium sender"; }
    @Override public void close(long graceMillis) { }
}
