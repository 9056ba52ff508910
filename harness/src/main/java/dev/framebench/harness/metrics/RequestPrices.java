package dev.framebench.harness.metrics;

/**
 * What an object store charges per request, for the transports that make requests (s3-handoff: a PUT by
 * the sender, a GET and a DELETE by the receiver, per frame). At 1 TB/s of frames of {@code frameBytes}, a
 * store serves 10^12 / frameBytes frames a second; $/year = frames/s x (PUT + GET + DELETE prices) / 1,000 x
 * 3,600 x 8,766.
 *
 * @param source where the prices come from and when they were read, shown beside every priced table
 */
public record RequestPrices(double usdPer1000Puts, double usdPer1000Gets, double usdPer1000Deletes, String source) {
    /**
     * Amazon S3 Standard, US East (N. Virginia): $0.005 per 1,000 PUT, COPY, POST or LIST requests, $0.0004 per
     * 1,000 GET and other requests, DELETE free. Entered 2026-12-07 as published on aws.amazon.com/s3/pricing
     * through 2024-2025, without re-reading it: the build machine has no web access.
     */
    public static final RequestPrices S3_STANDARD = new RequestPrices(0.005, 0.0004, 0,
            "Amazon S3 pricing (aws.amazon.com/s3/pricing), S3 Standard, US East (N. Virginia), as published in 2024-2025; entered 2026-12-07 unverified");

    public static final double SECONDS_PER_YEAR = 3_600 * CostModel.HOURS_PER_YEAR;

    /** Frames a second at {@code gbps} of frames of {@code frameBytes}; at 1 TB/s, each frame is three requests. */
    public static double framesPerSecond(double gbps, long frameBytes) {
        return gbps * 1e9 / frameBytes;
    }

    /** Requests a second a store serves for 1 TB/s of frames: PUT, GET and DELETE of each. */
    public double requestsPerSecondForFleet(long frameBytes) {
        return 3 * framesPerSecond(CostModel.FLEET_GBPS, frameBytes);
    }

    /** $/year of the requests alone at 1 TB/s of frames of {@code frameBytes}. */
    public double usdPerYearForFleet(long frameBytes) {
        double perFrame = (usdPer1000Puts + usdPer1000Gets + usdPer1000Deletes) / 1_000;
        return framesPerSecond(CostModel.FLEET_GBPS, frameBytes) * perFrame * SECONDS_PER_YEAR;
    }
}
