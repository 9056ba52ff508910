package dev.framebench.harness.session;

import dev.framebench.harness.accounting.MachineCpu;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;

/**
 * Cumulative counters of one trial at one instant, summed over its streams; the difference of two
 * samples is a measurement window.
 *
 * @param wallNanos            {@link System#nanoTime()} when taken
 * @param frames               frames received (and, paced, recorded) so far
 * @param bytes                bytes of those frames (headers included)
 * @param late                 paced: frames whose latency exceeded one frame interval; 0 in saturation
 * @param dropped              paced: sequence numbers that never arrived; 0 in saturation
 * @param senderCpuNanos       user+system CPU of every sender (its JVMs, or its threads for single-process transports); -1 once one is gone
 * @param receiverCpuNanos     user+system CPU of the receiver JVM (less in-process sender threads)
 * @param machineCpuNanos      busy CPU of the whole machine, -1 when /proc/stat cannot be read
 * @param senderPeakRssBytes   VmHWM summed over the sender JVMs; 0 when the senders are threads of the receiver's JVM
 * @param receiverPeakRssBytes VmHWM of the receiver JVM
 */
public record WindowSample(long wallNanos, long frames, long bytes, long late, long dropped, long senderCpuNanos, long receiverCpuNanos,
                           long machineCpuNanos, long senderPeakRssBytes, long receiverPeakRssBytes) {
    /** The counters given, with both sides' CPU and memory read now. */
    static WindowSample take(long frames, long bytes, long late, long dropped, SenderSide senders) {
        long senderCpu = senders.cpuNanos();
        long self = ProcessCpu.selfNanos();
        long receiverCpu = !senders.inReceiverJvm() ? self : self < 0 || senderCpu < 0 ? -1 : self - senderCpu;
        return new WindowSample(System.nanoTime(), frames, bytes, late, dropped, senderCpu, receiverCpu, MachineCpu.busyNanos(),
                senders.peakRssBytes(), PeakRss.bytes(ProcessHandle.current().pid()));
    }

    /** False when a process could not be read (a sender that died): such a window reports nothing. */
    public boolean complete() {
        return senderCpuNanos >= 0 && receiverCpuNanos >= 0;
    }
}
