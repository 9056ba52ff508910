package dev.framebench.harness.session;

import dev.framebench.frame.FramePreset;
import dev.framebench.harness.browser.ChromiumProcess;
import dev.framebench.harness.peer.Jvm;
import dev.framebench.harness.peer.SenderStats;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Chromium process and no browser profile outlives its run: not after a clean stop, not after the
 * receiver broke the stream, and not after the JVM that launched the browser was killed with SIGKILL.
 */
class ChromiumSendersCleanupTest {
    static final Transport WS_NETTY = TransportRegistry.byName("ws-netty");
    static final FramePreset PRESET = FramePreset.P720_I420;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(5);

    @Test
    void cleanRunKeepsTheTokenOffCommandLinesAndLeavesNoBrowserProcessAndNoProfile() {
        RunToken token = RunToken.random();
        Leftovers leftovers;
        try (FrameReceiver receiver = WS_NETTY.openReceiver(TransportOptions.NONE.with(RunToken.KEY, token.hex()), PRESET.frameBytes())) {
            ChromiumSenders senders = startSending(receiver, token);
            leftovers = Leftovers.of(senders.browser());
            try {
                for (ProcessHandle process : leftovers.processes()) {
                    // /proc/pid/cmdline is readable by every local user: the token reaches the page over the DevTools pipe only.
                    assertTrue(!process.info().commandLine().orElse("").contains(token.hex()), "the run's token on a command line: " + process.pid());
                }
                long deadline = Deadline.after(TIMEOUT);
                long received = receive(receiver, 20, deadline);
                senders.stop();
                while (receiver.receive(deadline) != null) {
                    receiver.release();
                    received++;
                }
                SenderStats stats = senders.awaitStats(deadline);
                assertEquals(received, stats.frames(), "the page's count is the receiver's: " + stats);
                assertTrue(stats.cpuNanos() > 0 && stats.peakRssBytes() > 0, "the whole browser is charged: " + stats);
            } finally {
                senders.close(5_000);
            }
        }
        leftovers.assertGone();
    }

    @Test
    void runWhoseReceiverBrokeTheStreamLeavesNothingAndSaysWhy() {
        RunToken token = RunToken.random();
        ChromiumSenders senders;
        Leftovers leftovers;
        try (FrameReceiver receiver = WS_NETTY.openReceiver(TransportOptions.NONE.with(RunToken.KEY, token.hex()), PRESET.frameBytes())) {
            senders = startSending(receiver, token);
            leftovers = Leftovers.of(senders.browser());
            receive(receiver, 5, Deadline.after(TIMEOUT));
        }
        try {
            // The page hears of the close through its own event loop: under a loaded suite that took over 5 s once
            // (CI at 1b9ec3c); the deadline is the run's own timeout, and the loop ends as soon as the page says it.
            long deadline = Deadline.after(TIMEOUT);
            String fate = "";
            while (fate.isEmpty() && !Deadline.expired(deadline)) {
                fate = senders.fate(100);
            }
            assertTrue(fate.startsWith(senders.who() + ": stream 0: the receiver closed ws://"), "fate after " + TIMEOUT + ": '" + fate + "'");
        } finally {
            senders.close(0);
        }
        leftovers.assertGone();
    }

    @Test
    void browserKilledMidRunIsNamedWithItsSignalAndLeavesNothing() {
        RunToken token = RunToken.random();
        Leftovers leftovers;
        try (FrameReceiver receiver = WS_NETTY.openReceiver(TransportOptions.NONE.with(RunToken.KEY, token.hex()), PRESET.frameBytes())) {
            ChromiumSenders senders = startSending(receiver, token);
            leftovers = Leftovers.of(senders.browser());
            try {
                receive(receiver, 5, Deadline.after(TIMEOUT));
                ProcessHandle.of(senders.browser().pid()).orElseThrow().destroyForcibly();
                String fate = senders.fate(5_000);
                assertTrue(fate.startsWith(senders.who() + " was killed by signal 9 (SIGKILL)") && fate.endsWith(": "), fate);
                assertTrue(!senders.alive());
            } finally {
                senders.close(0);
            }
        }
        leftovers.assertGone();
    }

    @Test
    void killedLauncherLeavesNoBrowserProcessAndNoProfile() throws Exception {
        Process launcher = new ProcessBuilder(Jvm.javaBinary(), "-cp", Jvm.classPath(), ChromiumSenderLauncher.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Leftovers leftovers;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return null;
                }
            }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(line != null && line.startsWith(ChromiumSenderLauncher.SENDING), "the launcher says it is sending: " + line);
            String[] words = line.split(" ");
            ProcessHandle browser = ProcessHandle.of(Long.parseLong(words[1])).orElseThrow();
            leftovers = new Leftovers(withDescendants(browser), Path.of(words[2]));
            assertTrue(leftovers.processes().size() > 3, "a browser with its zygotes, renderer and utilities: " + leftovers);
        } finally {
            // SIGKILL: no shutdown hook, no finally, nothing of the launcher's runs again.
            launcher.destroyForcibly();
            launcher.waitFor(5, TimeUnit.SECONDS);
        }
        leftovers.assertGone();
    }

    static ChromiumSenders startSending(FrameReceiver receiver, RunToken token) {
        ChromiumSenders senders = ChromiumSenders.launch(WS_NETTY, List.of(receiver.endpoint()), PRESET, TransportOptions.NONE, token, null, TIMEOUT);
        try {
            long deadline = Deadline.after(TIMEOUT);
            senders.awaitReady(() -> receiver.awaitSender(deadline), deadline);
            senders.start();
            return senders;
        } catch (RuntimeException e) {
            senders.close(0);
            throw e;
        }
    }

    static long receive(FrameReceiver receiver, int frames, long deadline) {
        for (int i = 0; i < frames; i++) {
            receiver.receive(deadline);
            receiver.release();
        }
        return frames;
    }

    private static List<ProcessHandle> withDescendants(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    /** What one browser could leave behind: its processes, as they were while it ran, and its private directory. */
    record Leftovers(List<ProcessHandle> processes, Path dir) {
        static Leftovers of(ChromiumProcess browser) {
            return new Leftovers(browser.tree().processes(), browser.privateDir());
        }

        void assertGone() {
            long deadline = Deadline.after(LEFTOVER_WAIT);
            while (!Deadline.expired(deadline) && (processes.stream().anyMatch(ProcessHandle::isAlive) || Files.exists(dir))) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            String alive = processes.stream().filter(ProcessHandle::isAlive)
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("; "));
            assertEquals("", alive, "browser processes left after " + LEFTOVER_WAIT.toSeconds() + " s");
            assertTrue(!Files.exists(dir), "the browser's private directory is left: " + dir);
        }
    }
}
