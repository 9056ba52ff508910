package dev.framebench.harness.run;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** profiles/instance-prices.csv: read as $/vCPU-hour, a family's rate for its other sizes, one-line errors. */
class InstancePricesTest {
    @Test
    void thePublishedFileReadsAndPricesEveryLineAboveZero() {
        InstancePrices prices = InstancePrices.load(Path.of("..", "profiles"));
        assertTrue(prices.usdPerVcpuHour().size() >= 10, prices.toString());
        assertEquals(0.08925 / 2, prices.of("c7i.large").orElseThrow().usdPerVcpuHour(), 1e-12);
        assertEquals(0.08925 / 2, prices.of("c7i.4xlarge").orElseThrow().usdPerVcpuHour(), 1e-12, "a size of a listed family");
        assertTrue(prices.asOf().contains("us-east-1") && prices.asOf().contains("not re-checked"), prices.asOf());
        assertTrue(prices.of("x99.large").isEmpty());
    }

    @Test
    void aBadLineIsOneLineNamingIt() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> InstancePrices.parse(List.of("instance,usd_per_hour,vcpus", "c7i.large,free,2"), "prices.csv"));
        assertEquals("prices.csv line 2: 'c7i.large,free,2' is not instance,usd_per_hour,vcpus with a price above 0 and at least 1 vCPU", e.getMessage());
        assertThrows(BadInputException.class, () -> InstancePrices.parse(List.of("type,price"), "prices.csv"));
    }

    @Test
    void noFileMeansNoPrices() {
        assertEquals(InstancePrices.NONE, InstancePrices.load(Path.of("no-such-folder")));
    }
}
