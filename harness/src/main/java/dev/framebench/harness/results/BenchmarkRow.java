package dev.framebench.harness.results;

import dev.framebench.frame.FramePreset;

import java.util.Map;

/**
 * One transport x frame of a run, with every figure DESIGN.md section 6 defines. {@code gbpsOverRuler}
 * is this row's GB/s over {@code inproc-copy}'s at the same frame in the same run, fork by fork, with its
 * interval ({@link Estimate#perForkRatio}; absent when inproc-copy did not run). {@code storage} holds the figures
 * of a store the receiver started (s3-handoff's S3Proxy), {@link StorageFigures#NONE} for every other transport.
 * {@code sender} and {@code receiver} say what ran each end ({@code jvm}, or the seed's {@code chromium} and
 * {@code python}); {@code cpuByProcessKind} holds, per side and kind of process ("sender.renderer"), the CPU
 * s/GB of a side made of processes of several kinds, empty where both ends are JVMs. {@code limit} is the machine's
 * memory limit that applies to the row and the row's GB/s over it ({@link MemoryLimit}; filled in by {@link RunResults}).
 * {@code options} is the row's option set where its run swept several ({@code --options 'A,B'}), else empty.
 */
public record BenchmarkRow(String transport, String frame, String consume, Estimate framesPerSecond, Estimate gbps,
                           Estimate cpuSenderSPerGb, Estimate cpuReceiverSPerGb, Estimate cpuTotalSPerGb, Estimate cpuMachineSPerGb,
                           Estimate rssSenderMb, Estimate rssReceiverMb, Estimate gbpsOverRuler, StorageFigures storage,
                           String sender, String receiver, Map<String, Estimate> cpuByProcessKind, MemoryLimit limit, String options) {
    /** The transport every ratio is taken against: one memcpy, measured in the same run. */
    public static final String RULER = "inproc-copy";
    /** What runs an end unless a run says otherwise: framebench's own JVM. */
    public static final String JVM = "jvm";
    /** framebench's own cost per frame: a hand-off of nothing between two threads, not a transport to rank. */
    public static final String FLOOR = "null";
    /** The in-process ceilings' prefix: threads of one JVM, not an IPC transport. */
    public static final String IN_PROCESS = "inproc-";

    /** A row before its memory limit is known (the readers; {@link RunResults} fills it in). */
    public BenchmarkRow(String transport, String frame, String consume, Estimate framesPerSecond, Estimate gbps,
                        Estimate cpuSenderSPerGb, Estimate cpuReceiverSPerGb, Estimate cpuTotalSPerGb, Estimate cpuMachineSPerGb,
                        Estimate rssSenderMb, Estimate rssReceiverMb, Estimate gbpsOverRuler, StorageFigures storage,
                        String sender, String receiver, Map<String, Estimate> cpuByProcessKind) {
        this(transport, frame, consume, framesPerSecond, gbps, cpuSenderSPerGb, cpuReceiverSPerGb, cpuTotalSPerGb, cpuMachineSPerGb,
                rssSenderMb, rssReceiverMb, gbpsOverRuler, storage, sender, receiver, cpuByProcessKind, MemoryLimit.NONE, "");
    }

    /** A row of two JVM ends (every run without {@code --sender} or {@code --receiver}). */
    public BenchmarkRow(String transport, String frame, String consume, Estimate framesPerSecond, Estimate gbps,
                        Estimate cpuSenderSPerGb, Estimate cpuReceiverSPerGb, Estimate cpuTotalSPerGb, Estimate cpuMachineSPerGb,
                        Estimate rssSenderMb, Estimate rssReceiverMb, Estimate gbpsOverRuler, StorageFigures storage) {
        this(transport, frame, consume, framesPerSecond, gbps, cpuSenderSPerGb, cpuReceiverSPerGb, cpuTotalSPerGb, cpuMachineSPerGb,
                rssSenderMb, rssReceiverMb, gbpsOverRuler, storage, JVM, JVM, Map.of());
    }

    public String key() {
        return label() + " " + frame;
    }

    /** True when both ends are framebench's JVMs. */
    public boolean jvmPair() {
        return sender.equals(JVM) && receiver.equals(JVM);
    }

    /**
     * The transport, the ends where they are not both JVMs, and the option set where a run swept several:
     * "ws-netty chromium->python", "shm-ffm [shm.ringFrames=8;idle=spin]".
     */
    public String label() {
        String ends = jvmPair() ? transport : transport + " " + sender + "->" + receiver;
        return options.isEmpty() ? ends : ends + " [" + options + "]";
    }

    /** GB/s over inproc-copy's at the same frame in the same run: the ratio that survives a change of machine; NaN without the ruler. */
    public double gbpsVsInprocCopy() {
        return gbpsOverRuler.score();
    }

    public BenchmarkRow withRatio(Estimate ratio) {
        return new BenchmarkRow(transport, frame, consume, framesPerSecond, gbps, cpuSenderSPerGb, cpuReceiverSPerGb, cpuTotalSPerGb,
                cpuMachineSPerGb, rssSenderMb, rssReceiverMb, ratio, storage, sender, receiver, cpuByProcessKind, limit, options);
    }

    public BenchmarkRow withLimit(MemoryLimit memoryLimit) {
        return new BenchmarkRow(transport, frame, consume, framesPerSecond, gbps, cpuSenderSPerGb, cpuReceiverSPerGb, cpuTotalSPerGb,
                cpuMachineSPerGb, rssSenderMb, rssReceiverMb, gbpsOverRuler, storage, sender, receiver, cpuByProcessKind, memoryLimit, options);
    }

    /** This row as one of several option sets of its transport in one run (a sweep): its label then names them. */
    public BenchmarkRow withOptions(String optionSet) {
        return new BenchmarkRow(transport, frame, consume, framesPerSecond, gbps, cpuSenderSPerGb, cpuReceiverSPerGb, cpuTotalSPerGb,
                cpuMachineSPerGb, rssSenderMb, rssReceiverMb, gbpsOverRuler, storage, sender, receiver, cpuByProcessKind, limit, optionSet);
    }

    /** True for the rows that stand for no transport: {@code null}, framebench's own floor. */
    public boolean floor() {
        return transport.equals(FLOOR);
    }

    /** True for a transport between two processes: not the floor, not an in-process ceiling. */
    public boolean interProcess() {
        return !floor() && !transport.startsWith(IN_PROCESS);
    }

    /**
     * CPU microseconds of both sides per frame: cpu.total s/GB x the bytes of one frame as received (header
     * included, as GB counts them) / 10^3. Absent for a preset this build does not know.
     */
    public Estimate cpuMicrosPerFrame() {
        try {
            return cpuTotalSPerGb.times(FramePreset.byName(frame).frameBytes() / 1e3);
        } catch (RuntimeException unknown) {
            return Estimate.ABSENT;
        }
    }

    /** True when a store carried this row's frames: a third process, whose CPU {@code cpu.all} adds to both ends'. */
    public boolean hasStorage() {
        return storage.cpuStorageSPerGb().present();
    }

    /** CPU s/GB of every process involved: {@code cpu.all} where a store ran, else {@code cpu.total}. */
    public Estimate cpuAllSPerGb() {
        return hasStorage() ? storage.cpuAllSPerGb() : cpuTotalSPerGb;
    }

    /** Payload bytes of one frame of this row's preset, or 0 for a preset this build does not know. */
    public long frameBytes() {
        try {
            return FramePreset.byName(frame).payloadBytes();
        } catch (RuntimeException unknown) {
            return 0;
        }
    }
}
