package dev.framebench.harness.paced;

/**
 * Cumulative counters of one paced trial at one instant, summed over its streams; the difference of two
 * samples is a measurement window.
 *
 * @param wallNanos            {@link System#nanoTime()} when taken
 * @param frames               frames received and recorded so far
 * @param bytes                bytes of those frames (headers included)
 * @param late                 frames whose latency exceeded one frame interval
 * @param dropped              sequence numbers that never arrived
 * @param senderCpuNanos       user+system CPU of every sender JVM (or sender thread, for inproc-*); -1 once one is gone
 * @param receiverCpuNanos     user+system CPU of the receiver JVM (less in-process sender threads)
 * @param machineCpuNanos      busy CPU of the whole machine, -1 when /proc/stat cannot be read
 * @param senderPeakRssBytes   VmHWM summed over the sender JVMs; 0 when the senders are threads of the receiver's JVM
 * @param receiverPeakRssBytes VmHWM of the receiver JVM
 */
public record PacedSample(long wallNanos, long frames, long bytes, long late, long dropped, long senderCpuNanos, long receiverCpuNanos,
                          long machineCpuNanos, long senderPeakRssBytes, long receiverPeakRssBytes) {
    /** False when a process could not be read (a sender that died): such a window reports nothing. */
    public boolean complete() {
        return senderCpuNanos >= 0 && receiverCpuNanos >= 0;
    }
}
