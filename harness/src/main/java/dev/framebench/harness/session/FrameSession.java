package dev.framebench.harness.session;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.MachineCpu;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.peer.ControlProtocol;
import dev.framebench.harness.peer.PeerProcess;
import dev.framebench.harness.peer.SendLoop;
import dev.framebench.harness.peer.SenderPeer;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.error.TransportTimeoutException;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The receiving side of one benchmark trial: opens the transport's receiver in this JVM, starts its
 * sender (a second JVM, or a thread for single-process transports), and hands out frames until closed.
 * It counts what it received and knows where each side's CPU and memory are charged.
 *
 * <p>Threading: one receiving thread; the counters may be read by another thread once it has joined
 * that thread's work (JMH's iteration boundary).
 */
public final class FrameSession implements AutoCloseable {
    private final Transport transport;
    private final FramePreset preset;
    private final FrameReceiver receiver;
    private final long timeoutNanos;
    private final PeerProcess peer;
    private final Thread senderThread;
    private final SendLoop threadLoop;
    private final FramePool threadPool;
    private final AtomicReference<Throwable> senderFailure;
    private long framesReceived;
    private long bytesReceived;
    private boolean ended;
    /** A receive failed: the stream cannot be trusted, so close() neither asks for STOP nor drains. */
    private boolean failed;
    private String senderStats = "";
    private WindowSample closingSample;
    private volatile Runnable beforeClose;

    private FrameSession(Transport transport, FramePreset preset, FrameReceiver receiver, Duration timeout,
                         PeerProcess peer, Thread senderThread, SendLoop threadLoop, FramePool threadPool,
                         AtomicReference<Throwable> senderFailure) {
        this.transport = transport;
        this.preset = preset;
        this.receiver = receiver;
        this.timeoutNanos = timeout.toNanos();
        this.peer = peer;
        this.senderThread = senderThread;
        this.threadLoop = threadLoop;
        this.threadPool = threadPool;
        this.senderFailure = senderFailure;
    }

    /** Opens the receiver, starts the sender and returns once frames are flowing. */
    public static FrameSession open(Transport transport, FramePreset preset, TransportOptions options, Duration timeout) {
        FrameReceiver receiver = transport.openReceiver(options, preset.frameBytes());
        try {
            long deadline = Deadline.after(timeout.plusSeconds(30));
            if (transport.singleProcess()) {
                return startThread(transport, preset, options, timeout, receiver, deadline);
            }
            PeerProcess peer = PeerProcess.launch("sender", SenderPeer.class,
                    SenderPeer.arguments(transport.name(), receiver.endpoint(), preset.presetName(), options.toString(), 0, timeout));
            try {
                peer.await(ControlProtocol.READY, deadline);
                receiver.awaitSender(deadline);
                peer.command(ControlProtocol.START);
                return new FrameSession(transport, preset, receiver, timeout, peer, null, null, null, new AtomicReference<>());
            } catch (RuntimeException e) {
                peer.close(0);
                throw e;
            }
        } catch (RuntimeException e) {
            receiver.close();
            throw e;
        }
    }

    private static FrameSession startThread(Transport transport, FramePreset preset, TransportOptions options, Duration timeout,
                                            FrameReceiver receiver, long deadline) {
        FramePool pool = new FramePool(preset);
        try {
            FrameSender sender = transport.openSender(receiver.endpoint(), options);
            receiver.awaitSender(deadline);
            SendLoop loop = new SendLoop(sender, pool, 0, 0, timeout);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    loop.run();
                    sender.close();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "framebench-sender");
            thread.setDaemon(true);
            thread.start();
            return new FrameSession(transport, preset, receiver, timeout, null, thread, loop, pool, failure);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The next frame, read-only until {@link #release()}; fails, naming the sender's fate, if the stream ends. */
    public MemorySegment receive() {
        MemorySegment frame;
        try {
            frame = receiver.receive(System.nanoTime() + timeoutNanos);
        } catch (TransportTimeoutException e) {
            failed = true;
            String fate = senderFate();
            if (fate.isEmpty() && peer != null) {
                fate = "sender JVM pid " + peer.pid() + " is alive but sent nothing for " + timeoutNanos / 1_000_000_000 + " s (stopped or stalled?): ";
            }
            throw new TransportTimeoutException(transport.name() + ": " + fate + e.getMessage());
        } catch (TransportException e) {
            failed = true;
            throw new TransportException(transport.name() + ": " + senderFate() + e.getMessage(), e);
        }
        if (frame == null) {
            ended = true;
            throw new TransportException(transport.name() + ": the sender ended the stream before the receiver asked it to stop; "
                    + senderFate().replaceAll(": $", ""));
        }
        framesReceived++;
        bytesReceived += frame.byteSize();
        return frame;
    }

    public void release() {
        receiver.release();
    }

    /** "sender JVM pid N was killed by signal 9 (SIGKILL): " when the sender is gone, else empty. */
    private String senderFate() {
        if (peer != null) {
            // A peer that broke the stream is usually exiting right now: give it a moment to say how.
            String fate = peer.exitDescription(500);
            return fate.equals("is still running") ? "" : "sender JVM pid " + peer.pid() + " " + fate + ": ";
        }
        Throwable failure = senderFailure.get();
        return failure == null ? "" : "sender thread failed (" + failure.getMessage() + "): ";
    }

    public Transport transport() {
        return transport;
    }

    public FramePreset preset() {
        return preset;
    }

    public long framesReceived() {
        return framesReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    public boolean singleProcess() {
        return peer == null;
    }

    /** Sender CPU so far: the peer process, or the sender thread of a single-process transport; -1 once it has ended. */
    public long senderCpuNanos() {
        return peer != null ? ProcessCpu.processNanos(peer.pid()) : ProcessCpu.threadNanos(senderThread);
    }

    /** Receiver CPU so far: this whole JVM, less the sender thread when both share it. */
    public long receiverCpuNanos() {
        long self = ProcessCpu.selfNanos();
        long senderThread = peer != null ? 0 : senderCpuNanos();
        return self < 0 || senderThread < 0 ? -1 : self - senderThread;
    }

    /** Peak RSS of the sender JVM; 0 when the sender is a thread of the receiver's JVM (no process of its own). */
    public long senderPeakRssBytes() {
        return peer != null ? PeakRss.bytes(peer.pid()) : 0;
    }

    public long receiverPeakRssBytes() {
        return PeakRss.bytes(ProcessHandle.current().pid());
    }

    /**
     * The counters now, or as they stood when {@link #close()} began: JMH tears the trial down inside the
     * last iteration, before profilers read it, and a sender that has exited can no longer be sampled.
     */
    public WindowSample sample() {
        WindowSample closing = closingSample;
        if (closing != null) {
            return closing;
        }
        return new WindowSample(framesReceived, bytesReceived, senderCpuNanos(), receiverCpuNanos(), MachineCpu.busyNanos(),
                senderPeakRssBytes(), receiverPeakRssBytes());
    }

    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>(receiver.describe());
        d.put("sender", peer != null ? "jvm pid " + peer.pid() : "thread");
        return d;
    }

    /**
     * Runs {@code hook} once when {@link #close()} begins: after the window's closing sample, while the
     * sender still runs (JMH tears the trial down before profilers see the last iteration end).
     */
    public void beforeClose(Runnable hook) {
        beforeClose = hook;
    }

    /**
     * Sends the sender JVM one {@code PROFILE} command and returns its {@code PROFILED} reply; for
     * single-process transports there is no sender JVM (its thread is profiled with this JVM).
     */
    public String profileSender(String command) {
        if (peer == null) {
            throw new IllegalStateException(transport.name() + " has no sender JVM: its sender is a thread of this one");
        }
        peer.command(ControlProtocol.PROFILE + " " + command);
        return peer.await(ControlProtocol.PROFILED, System.nanoTime() + timeoutNanos);
    }

    /** STATS of the last clean stop ({@code {"frames":..}}), empty before. */
    public String senderStats() {
        return senderStats;
    }

    /**
     * Asks the sender to stop, receives what it had in flight up to the clean end of stream, and returns
     * how many frames that was. Each remaining frame is handed to {@code drainConsumer} before release.
     */
    public long stopAndDrain(java.util.function.Consumer<MemorySegment> drainConsumer) {
        if (peer != null) {
            peer.command(ControlProtocol.STOP);
        } else {
            threadLoop.stop();
        }
        long drained = 0;
        long deadline = System.nanoTime() + timeoutNanos;
        while (!ended) {
            MemorySegment frame = receiver.receive(deadline);
            if (frame == null) {
                ended = true;
            } else {
                drainConsumer.accept(frame);
                receiver.release();
                drained++;
            }
        }
        if (peer != null) {
            senderStats = peer.await(ControlProtocol.STATS, deadline);
            peer.await(ControlProtocol.BYE, deadline);
        } else {
            try {
                senderThread.join(Math.max(1, Deadline.remainingMillis(deadline)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            senderStats = "{\"frames\":" + threadLoop.framesSent() + ",\"bytes\":" + threadLoop.bytesSent() + "}";
        }
        return drained;
    }

    /** Stops cleanly if the stream is still healthy, and always releases every resource. */
    @Override
    public void close() {
        if (closingSample == null) {
            try {
                closingSample = sample();
            } catch (RuntimeException e) {
                // The sender is already gone: there is no window to report, and the run has failed anyway.
            }
        }
        Runnable hook = beforeClose;
        beforeClose = null;
        if (hook != null) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.err.println("framebench: " + transport.name() + ": before closing: " + e.getMessage());
            }
        }
        try {
            if (!ended && !failed && (peer == null || peer.isAlive())) {
                stopAndDrain(frame -> { });
            }
        } catch (RuntimeException e) {
            System.err.println("framebench: " + transport.name() + ": stopping the sender failed: " + e.getMessage());
        } finally {
            if (peer != null) {
                peer.close(ended && !failed ? 5_000 : 0);
            }
            if (senderThread != null) {
                threadLoop.stop();
                senderThread.interrupt();
            }
            receiver.close();
            if (threadPool != null && (senderThread == null || !senderThread.isAlive())) {
                threadPool.close();
            }
        }
    }
}
