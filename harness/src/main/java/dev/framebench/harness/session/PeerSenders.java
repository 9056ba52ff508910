package dev.framebench.harness.session;

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
     * Launches the sender JVMs for {@code endpoints} (stream i sends to endpoint i) and returns once every
     * one said READY: connected, waiting for START. {@code schedule} null means as fast as the transport goes.
     */
    static PeerSenders launch(Transport transport, List<String> endpoints, FramePreset preset, TransportOptions options,
                              PacedSchedule schedule, boolean processPerStream, Duration timeout, long deadlineNanos) {
        List<PeerProcess> peers = new ArrayList<>();
        try {
            if (processPerStream) {
                // Started together, so N JVM start-ups overlap instead of adding up.
                for (int i = 0; i < endpoints.size(); i++) {
                    peers.add(PeerProcess.launch("sender " + i, SenderPeer.class, SenderPeer.arguments(transport.name(), List.of(endpoints.get(i)),
                            preset.presetName(), options.toString(), schedule, i, endpoints.size(), timeout)));
                }
            } else {
                peers.add(PeerProcess.launch("sender", SenderPeer.class, SenderPeer.arguments(transport.name(), endpoints,
                        preset.presetName(), options.toString(), schedule, 0, endpoints.size(), timeout)));
            }
            for (PeerProcess peer : peers) {
                peer.await(ControlProtocol.READY, deadlineNanos);
            }
            return new PeerSenders(peers);
        } catch (RuntimeException e) {
            peers.forEach(p -> p.close(0));
            throw e;
        }
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
