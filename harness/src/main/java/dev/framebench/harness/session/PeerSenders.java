package dev.framebench.harness.session;

import dev.framebench.transport.RunToken;
import dev.framebench.error.TransportException;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.peer.ControlProtocol;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.peer.PeerProcess;
import dev.framebench.harness.peer.SenderPeer;
import dev.framebench.harness.peer.SenderStats;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Senders in their own JVMs ({@link SenderPeer}), spoken to over {@link ControlProtocol}: one JVM for
 * every stream of the trial, or one JVM per stream ({@code processPerStream}, each stream paying its own
 * JVM's base CPU and memory, as a process per room does).
 */
final class PeerSenders implements SenderSide {
    private final List<PeerProcess> peers;

    private PeerSenders(List<PeerProcess> peers) {
        this.peers = peers;
    }

    /**
     * Launches the sender JVMs for {@code endpoints} (stream i sends to endpoint i); {@link #awaitReady}
     * then waits for each one's READY. {@code schedule} null means as fast as the transport goes. The token
     * reaches each JVM in its environment ({@link SenderPeer#TOKEN_ENV}), never on its command line, which
     * every local user can read in /proc; {@code options} must not hold it.
     */
    static PeerSenders launch(Transport transport, List<String> endpoints, FramePreset preset, TransportOptions options, RunToken token,
                              PacedSchedule schedule, boolean processPerStream, Duration timeout) {
        if (options.has(RunToken.KEY)) {
            throw new IllegalArgumentException("the run's token goes to sender JVMs in their environment, not in their options");
        }
        Map<String, String> environment = Map.of(SenderPeer.TOKEN_ENV, token.hex());
        List<PeerProcess> peers = new ArrayList<>();
        try {
            if (processPerStream) {
                // Started together, so N JVM start-ups overlap instead of adding up.
                for (int i = 0; i < endpoints.size(); i++) {
                    peers.add(PeerProcess.launch("sender " + i, SenderPeer.class, SenderPeer.arguments(transport.name(), List.of(endpoints.get(i)),
                            preset.presetName(), options.toString(), schedule, i, endpoints.size(), timeout), environment));
                }
            } else {
                peers.add(PeerProcess.launch("sender", SenderPeer.class, SenderPeer.arguments(transport.name(), endpoints,
                        preset.presetName(), options.toString(), schedule, 0, endpoints.size(), timeout), environment));
            }
            return new PeerSenders(peers);
        } catch (RuntimeException e) {
            peers.forEach(p -> p.close(0));
            throw e;
        }
    }

    /**
     * Waits for every sender's READY (connected, waiting for START) while {@code accept} runs on a thread
     * of its own: a receiver may have to take a sender's hello before that sender can finish connecting (a
     * ring's sender waits to be accepted), so the two waits must overlap, each with the same deadline.
     */
    void awaitReady(Runnable accept, long deadlineNanos) {
        ReadyWait.overlap(accept, () -> peers.forEach(peer -> peer.await(ControlProtocol.READY, deadlineNanos)), deadlineNanos);
    }

    @Override
    public void start() {
        peers.forEach(p -> p.command(ControlProtocol.START));
    }

    @Override
    public void stop() {
        for (PeerProcess peer : peers) {
            if (peer.isAlive()) {
                peer.command(ControlProtocol.STOP);
            }
        }
    }

    @Override
    public SenderStats awaitStats(long deadlineNanos) {
        SenderStats sum = new SenderStats(0, 0, 0, 0, 0);
        for (PeerProcess peer : peers) {
            sum = sum.plus(SenderStats.parse(peer.await(ControlProtocol.STATS, deadlineNanos)));
            peer.await(ControlProtocol.BYE, deadlineNanos);
        }
        return sum;
    }

    @Override
    public long cpuNanos() {
        return SenderSide.sumCpuNanos(peers, p -> ProcessCpu.processNanos(p.pid()));
    }

    @Override
    public long peakRssBytes() {
        return peers.stream().mapToLong(p -> Math.max(0, PeakRss.bytes(p.pid()))).sum();
    }

    @Override
    public boolean inReceiverJvm() {
        return false;
    }

    @Override
    public int processes() {
        return peers.size();
    }

    @Override
    public boolean alive() {
        return peers.stream().allMatch(PeerProcess::isAlive);
    }

    @Override
    public String fate(long waitMillis) {
        StringBuilder fate = new StringBuilder();
        for (PeerProcess peer : peers) {
            // A peer that broke the stream is usually exiting right now: give it a moment to say how.
            peer.exitedAs(waitMillis).ifPresent(how -> fate.append("sender JVM pid ").append(peer.pid()).append(' ').append(how).append(": "));
        }
        return fate.toString();
    }

    @Override
    public String profile(String command, long deadlineNanos) {
        if (peers.size() != 1) {
            throw new TransportException("flame graphs profile one sender JVM; this trial has " + peers.size());
        }
        PeerProcess peer = peers.getFirst();
        peer.command(ControlProtocol.PROFILE + " " + command);
        return peer.await(ControlProtocol.PROFILED, deadlineNanos);
    }

    @Override
    public String describe() {
        return (peers.size() == 1 ? "jvm pid " : "jvm pids ") + peers.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
    }

    @Override
    public String who() {
        return (peers.size() == 1 ? "sender JVM pid " : "sender JVMs pids ") + peers.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
    }

    @Override
    public void close(long graceMillis) {
        peers.forEach(p -> p.close(graceMillis));
    }
}
