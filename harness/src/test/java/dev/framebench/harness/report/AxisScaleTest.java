package dev.framebench.harness.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Value axes: log past 10x, round ends and ticks, short labels. */
class AxisScaleTest {
    @Test
    void spanOfMoreThanTenTimesIsLogarithmicWithRoundTicks() {
        AxisScale gbps = AxisScale.fit(0.261, 21.8);
        assertTrue(gbps.log());
        assertEquals(0.2, gbps.min(), 1e-12);
        assertEquals(30, gbps.max(), 1e-12);
        assertEquals(List.of("0.2", "0.5", "1", "2", "5", "10", "20", "30"), gbps.ticks().stream().map(AxisScale::plain).toList());
        assertEquals(0, gbps.fraction(0.2), 1e-12);
        assertEquals(1, gbps.fraction(30), 1e-12);
    }

    @Test
    void spanWithinTenTimesIsLinearFromZero() {
        AxisScale scale = AxisScale.fit(3.1, 14.6);
        assertFalse(scale.log());
        assertEquals(0, scale.min());
        assertTrue(scale.max() >= 14.6, scale.toString());
        assertEquals(List.of("0", "5", "10", "15", "20"), scale.ticks().stream().map(AxisScale::plain).toList());
    }

    @Test
    void aRatioAxisIsLogarithmicWithATickForEveryDigitNearOne() {
        AxisScale ratio = AxisScale.fit(0.83, 1.49, true);
        assertTrue(ratio.log());
        assertEquals(List.of("0.7", "0.8", "0.9", "1", "1.1", "1.2", "1.5", "2"), ratio.ticks().stream().map(AxisScale::plain).toList());
        assertEquals(ratio.fraction(1) - ratio.fraction(0.8), ratio.fraction(1.25) - ratio.fraction(1), 1e-12, "0.8 and 1.25 equally far from 1");
    }

    @Test
    void manyDecadesShowDecadesOnly() {
        assertEquals(List.of("0.01", "0.1", "1", "10", "100", "1,000", "10,000"),
                AxisScale.fit(0.01, 10_000).ticks().stream().map(AxisScale::plain).toList());
    }

    @Test
    void labelsHaveAtMostThreeSignificantDigits() {
        assertEquals("3.11", AxisScale.plain(3.1104));
        assertEquals("8.29", AxisScale.plain(8.2944));
        assertEquals("0.05", AxisScale.plain(0.05000000001));
        assertEquals("$2.43M", AxisScale.dollars(2_427_707));
        assertEquals("$50k", AxisScale.dollars(50_000));
        assertEquals("$500", AxisScale.dollars(500));
    }
}
