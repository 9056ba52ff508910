package dev.framebench.harness.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Student t quantiles against tabulated values (integer df) and SciPy's {@code t.ppf} (fractional df, Welch). */
class StudentTTest {
    @ParameterizedTest(name = "t({0}, {1}) = {2}")
    @CsvSource({
        "0.975, 1, 12.706205",
        "0.975, 2, 4.302653",
        "0.975, 4, 2.776445",
        "0.975, 9, 2.262157",
        "0.975, 30, 2.042272",
        "0.995, 9, 3.249836",
        "0.95, 2, 2.919986",
        "0.9995, 1, 636.619249",
        "0.9995, 4, 8.610302",
        "0.9995, 14, 4.140454",
        "0.975, 2.5, 3.574655",
        "0.975, 7.3, 2.345067",
        "0.975, 1000000, 1.959966",
    })
    void quantileMatchesTheTables(double p, double df, double expected) {
        assertEquals(expected, StudentT.quantile(p, df), 1e-6 * Math.max(1, expected));
    }

    @Test
    void quantileIsSymmetricAndZeroAtTheMedian() {
        assertEquals(0.0, StudentT.quantile(0.5, 3));
        assertEquals(-StudentT.quantile(0.975, 4), StudentT.quantile(0.025, 4), 1e-12);
    }

    @Test
    void quantileInvertsTheDistributionFunction() {
        for (double df : new double[] {1, 1.7, 3, 12, 250}) {
            for (double p : new double[] {0.6, 0.9, 0.975, 0.999, 0.99999}) {
                assertEquals(p, StudentT.cdf(StudentT.quantile(p, df), df), 1e-12, "df=" + df + " p=" + p);
            }
        }
        assertEquals(0.5, StudentT.cdf(0, 5), 1e-15);
        // df = 1 is the Cauchy distribution: P(T <= 1) = 3/4.
        assertEquals(0.75, StudentT.cdf(1, 1), 1e-13);
    }

    @Test
    void infiniteDegreesOfFreedomIsTheNormalDistribution() {
        assertEquals(1.959964, StudentT.quantile(0.975, Double.POSITIVE_INFINITY), 1e-6);
        assertEquals(1.959964, StudentT.twoSided(0.95, Double.POSITIVE_INFINITY), 1e-6);
    }

    @Test
    void rejectsProbabilitiesAndDegreesOutsideTheirRange() {
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1.0, 3));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.0, 3));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.9, 0));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.9, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> StudentT.twoSided(1.0, 3));
    }
}
