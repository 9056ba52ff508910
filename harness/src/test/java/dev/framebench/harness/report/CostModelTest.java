package dev.framebench.harness.report;

import dev.framebench.harness.metrics.CostModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cost arithmetic of DESIGN.md section 6, on round numbers. */
class CostModelTest {
    @Test
    void fleetOfOneTerabytePerSecondAtPointOneFiveCpuSecondsPerGigabyte() {
        CostModel cost = new CostModel(0.05);
        assertEquals(150.0, cost.vcpusForFleet(0.15), 1e-9, "0.15 s/GB x 1000 GB/s");
        assertEquals(150 * 0.05 * 8766, cost.usdPerYearForFleet(0.15), 1e-6);
    }

    @Test
    void oneStreamOf1080p30I420IsPointZeroNineThreeThreeGigabytesPerSecond() {
        assertEquals(0.093312, CostModel.STREAM_1080P30_I420_GBPS, 1e-9);
        assertEquals(0.093312 * 2.0, new CostModel(0.05).vcpusPerStream(2.0), 1e-9);
    }
}
