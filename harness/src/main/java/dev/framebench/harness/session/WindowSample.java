package dev.framebench.harness.session;

/**
 * Cumulative counters of one trial at one instant; the difference of two samples is a measurement window.
 *
 * @param frames           frames received so far
 * @param bytes            bytes received so far (headers included)
 * @param senderCpuNanos   user+system CPU of the sender (its JVM, or its thread for single-process transports); -1 once it is gone
 * @param receiverCpuNanos user+system CPU of the receiver JVM (less the sender thread when they share it)
 * @param machineCpuNanos  busy CPU of the whole machine, -1 when /proc/stat cannot be read
 * @param senderPeakRssBytes   VmHWM of the sender JVM; 0 when the sender has no process of its own
 * @param receiverPeakRssBytes VmHWM of the receiver JVM
 */
public record WindowSample(long frames, long bytes, long senderCpuNanos, long receiverCpuNanos, long machineCpuNanos,
                           long senderPeakRssBytes, long receiverPeakRssBytes) {
    /** False when a process could not be read (a sender that died): such a window reports nothing. */
    public boolean complete() {
        return senderCpuNanos >= 0 && receiverCpuNanos >= 0;
    }
}
