package dev.framebench.harness.results;

import dev.framebench.frame.FramePreset;

/**
 * One transport x frame of a run, with every figure DESIGN.md section 6 defines. {@code gbpsOverRuler}
 * is this row's GB/s over {@code inproc-copy}'s at the same frame in the same run, fork by fork, with its
 * interval ({@link Estimate#perForkRatio}; absent when inproc-copy did not run). {@code storage} holds the figures
 * of a store the receiver started (s3-handoff's S3Proxy), {@link StorageFigures#NONE} for every other transport.
 */
public record BenchmarkRow(String transport, String frame, String consume, Estimate framesPerSecond, Estimate gbps,
                           Estimate cpuSenderSPerGb, Estimate cpuReceiverSPerGb, Estimate cpuTotalSPerGb, Estimate cpuMachineSPerGb,
                           Estimate rssSenderMb, Estimate rssReceiverMb, Estimate gbpsOverRuler, StorageFigures storage) {
    /** The transport every ratio is taken against: one memcpy, measured in the same run. */
    public static final String RULER = "inproc-copy";

    public String key() {
        return transport + " " + frame;
    }

    /** GB/s over inproc-copy's at the same frame in the same run: the ratio that survives a change of machine; NaN without the ruler. */
    public double gbpsVsInprocCopy() {
        return gbpsOverRuler.score();
    }

    public BenchmarkRow withRatio(Estimate ratio) {
        return new BenchmarkRow(transport, frame, consume, framesPerSecond, gbps, cpuSenderSPerGb, cpuReceiverSPerGb, cpuTotalSPerGb,
                cpuMachineSPerGb, rssSenderMb, rssReceiverMb, ratio, storage);
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
