package dev.framebench.harness.session;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.peer.PacedSchedule;
import dev.framebench.harness.peer.PacedSendLoop;
import dev.framebench.harness.peer.SendLoop;
import dev.framebench.harness.peer.SenderFrames;
import dev.framebench.harness.peer.SenderLoop;
import dev.framebench.harness.peer.SenderStats;
import dev.framebench.transport.Deadline;
import dev.framebench.harness.util.CpuAffinity;
import dev.framebench.harness.util.CpuList;
import dev.framebench.harness.util.CpuPinning;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Senders as threads of the receiver's JVM, one per stream: the {@code inproc-*} transports, whose point
 * is that both sides share one process. Their CPU is the threads' own, so the receiver is charged this
 * JVM's CPU less theirs.
 */
final class ThreadSenders implements SenderSide {
    private final List<SenderLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<FramePool> pools = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private ThreadSenders() {
    }

    /** Opens a sender for each of {@code endpoints} (stream i to endpoint i); threads start at {@link #start()}. */
    static ThreadSenders open(Transport transport, List<String> endpoints, FramePreset preset, TransportOptions options,
                              PacedSchedule schedule, Duration timeout) {
        ThreadSenders side = new ThreadSenders();
        CpuPinning pinning = CpuPinning.fromProperty();
        try {
            for (int i = 0; i < endpoints.size(); i++) {
                FrameSender sender = transport.openSender(endpoints.get(i), options);
                FramePool pool = SenderFrames.poolFor(sender, preset);
                side.pools.add(pool);
                SenderLoop loop = schedule == null ? new SendLoop(sender, pool, i, 0, timeout)
                        : new PacedSendLoop(sender, pool, i, schedule, schedule.phaseNanos(i, endpoints.size()), 0, timeout);
                side.loops.add(loop);
                Thread thread = new Thread(() -> {
                    try {
                        if (pinning.pinned()) {
                            // The receiver's JVM is pinned to the receiver's CPUs; its sending threads to the sender's.
                            CpuAffinity.pinCurrentThread(pinning.sender());
                            System.out.println("[framebench] sender thread " + Thread.currentThread().getName() + " pinned: CPUs "
                                    + CpuList.format(CpuAffinity.ofCurrentThread()));
                        }
                        loop.run();
                        sender.close();
                    } catch (Throwable t) {
                        side.failure.compareAndSet(null, t);
                    }
                }, "framebench-sender-" + i);
                thread.setDaemon(true);
                side.threads.add(thread);
            }
            return side;
        } catch (RuntimeException e) {
            side.close(0);
            throw e;
        }
    }

    @Override
    public void start() {
        threads.forEach(Thread::start);
    }

    @Override
    public void stop() {
        loops.forEach(SenderLoop::stop);
    }

    @Override
    public SenderStats awaitStats(long deadlineNanos) {
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, Deadline.remainingMillis(deadlineNanos)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted waiting for the sender threads to end");
            }
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw new TransportException("sender thread failed: " + failed.getMessage(), failed);
        }
        return new SenderStats(loops.stream().mapToLong(SenderLoop::framesSent).sum(), loops.stream().mapToLong(SenderLoop::bytesSent).sum(),
                loops.stream().mapToLong(SenderLoop::framesBehind).sum(), -1, 0);
    }

    @Override
    public long cpuNanos() {
        return SenderSide.sumCpuNanos(threads, ProcessCpu::threadNanos);
    }

    @Override
    public long peakRssBytes() {
        return 0;
    }

    @Override
    public boolean inReceiverJvm() {
        return true;
    }

    @Override
    public int processes() {
        return 0;
    }

    @Override
    public boolean alive() {
        return failure.get() == null;
    }

    @Override
    public String fate(long waitMillis) {
        Throwable failed = failure.get();
        return failed == null ? "" : "sender thread failed (" + failed.getMessage() + "): ";
    }

    @Override
    public String profile(String command, long deadlineNanos) {
        throw new IllegalStateException("this transport has no sender JVM: its sender is a thread of this one");
    }

    @Override
    public String describe() {
        return "thread";
    }

    @Override
    public String who() {
        return "sender thread";
    }

    @Override
    public void close(long graceMillis) {
        loops.forEach(SenderLoop::stop);
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(graceMillis, 2_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // A pooled frame may still be read by a thread that did not end: leave its memory to the GC then.
        if (threads.stream().noneMatch(Thread::isAlive)) {
            pools.forEach(FramePool::close);
        }
    }
}
