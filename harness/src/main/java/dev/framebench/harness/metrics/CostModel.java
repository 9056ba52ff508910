package dev.framebench.harness.metrics;

/**
 * What moving frames costs in CPU and money (DESIGN.md section 6): vCPUs needed = cpu.total s/GB x
 * sustained GB/s; $/year = vCPUs x $/vCPU-hour x 8,766 h. The load is the meeting-bot fleet's 1 TB/s, and
 * one 1080p30 I420 stream (3,110,400 bytes x 30 frames/s = 0.0933 GB/s).
 *
 * <p>It prices CPU, and an object store's requests where a transport makes them ({@link RequestPrices}): no
 * memory, no storage, no headroom, no instance packing; a real fleet needs more.
 */
public record CostModel(double usdPerVcpuHour, RequestPrices requests) {
    public static final double HOURS_PER_YEAR = 8_766; // 365.25 days
    public static final double FLEET_GBPS = 1_000; // 1 TB/s
    public static final double STREAM_1080P30_I420_GBPS = 3_110_400 * 30 / 1e9;

    /** CPU at {@code usdPerVcpuHour}, requests at S3 Standard's list price. */
    public CostModel(double usdPerVcpuHour) {
        this(usdPerVcpuHour, RequestPrices.S3_STANDARD);
    }

    /** vCPUs kept busy by a sustained load of {@code gbps} at {@code cpuSecondsPerGb}. */
    public double vcpus(double cpuSecondsPerGb, double gbps) {
        return cpuSecondsPerGb * gbps;
    }

    public double vcpusForFleet(double cpuSecondsPerGb) {
        return vcpus(cpuSecondsPerGb, FLEET_GBPS);
    }

    public double usdPerYear(double vcpus) {
        return vcpus * usdPerVcpuHour * HOURS_PER_YEAR;
    }

    public double usdPerYearForFleet(double cpuSecondsPerGb) {
        return usdPerYear(vcpusForFleet(cpuSecondsPerGb));
    }

    public double vcpusPerStream(double cpuSecondsPerGb) {
        return vcpus(cpuSecondsPerGb, STREAM_1080P30_I420_GBPS);
    }
}
