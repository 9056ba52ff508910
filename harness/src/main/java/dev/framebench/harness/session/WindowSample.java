package dev.framebench.harness.session;

import dev.framebench.harness.accounting.MachineCpu;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.accounting.ProcessTree;
import dev.framebench.transport.FrameReceiver;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * @param storageProcesses     processes of a store the receiver started (s3-handoff's S3Proxy), a third party; 0 for most transports
 * @param storageCpuNanos      user+system CPU of those processes; 0 when there are none, -1 once one is gone
 * @param storagePeakRssBytes  VmHWM summed over those processes
 * @param senderCpuByKind      sender CPU by kind of process (a browser's "renderer", "network", ...), ns; empty when the senders are all alike
 * @param receiverCpuByKind    likewise for a receiver in processes of its own (the Python receiver); empty for a receiver in this JVM
 */
public record WindowSample(long wallNanos, long frames, long bytes, long late, long dropped, long senderCpuNanos, long receiverCpuNanos,
                           long machineCpuNanos, long senderPeakRssBytes, long receiverPeakRssBytes,
                           int storageProcesses, long storageCpuNanos, long storagePeakRssBytes,
                           Map<String, Long> senderCpuByKind, Map<String, Long> receiverCpuByKind) {
    /**
     * The counters given, with the CPU and memory of both sides and of the receivers' stores read now. The
     * receiving side is this JVM, or the processes of {@code receivers} that are {@link ExternalReceiver}s.
     */
    static WindowSample take(long frames, long bytes, long late, long dropped, SenderSide senders, List<? extends FrameReceiver> receivers) {
        long senderCpu = senders.cpuNanos();
        long self = ProcessCpu.selfNanos();
        long receiverCpu = !senders.inReceiverJvm() ? self : self < 0 || senderCpu < 0 ? -1 : self - senderCpu;
        long receiverRss = PeakRss.bytes(ProcessHandle.current().pid());
        Map<String, Long> receiverByKind = new TreeMap<>();
        List<ProcessTree> external = receivers.stream().filter(r -> r instanceof ExternalReceiver)
                .map(r -> ((ExternalReceiver) r).processes()).toList();
        if (!external.isEmpty()) {
            // The receiving is done there; this JVM only counts receipts, framebench's own cost, charged to neither side.
            receiverCpu = 0;
            receiverRss = 0;
            for (ProcessTree tree : external) {
                long cpu = tree.cpuNanos();
                receiverCpu = cpu < 0 || receiverCpu < 0 ? -1 : receiverCpu + cpu;
                receiverRss += tree.peakRssBytes();
                tree.cpuNanosByKind().forEach((kind, nanos) -> receiverByKind.merge(kind, nanos, Long::sum));
            }
        }
        long storageCpu = 0;
        long storageRss = 0;
        int storageProcesses = 0;
        for (FrameReceiver receiver : receivers) {
            for (ProcessHandle process : receiver.storageProcesses()) {
                long cpu = ProcessCpu.processNanos(process.pid());
                storageCpu = cpu < 0 || storageCpu < 0 ? -1 : storageCpu + cpu;
                storageRss += Math.max(0, PeakRss.bytes(process.pid()));
                storageProcesses++;
            }
        }
        return new WindowSample(System.nanoTime(), frames, bytes, late, dropped, senderCpu, receiverCpu, MachineCpu.busyNanos(),
                senders.peakRssBytes(), receiverRss, storageProcesses, storageCpu, storageRss,
                senders.cpuNanosByProcessKind(), receiverByKind);
    }

    /** False when a process could not be read (a sender or a store that died): such a window reports nothing. */
    public boolean complete() {
        return senderCpuNanos >= 0 && receiverCpuNanos >= 0 && storageCpuNanos >= 0;
    }
}
