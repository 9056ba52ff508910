package dev.framebench.harness.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.framebench.harness.util.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RSS growth of a long paced run, from JMH's per-iteration raw data. */
class PacedResultsTest {
    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void slopeIsTheLeastSquaresGrowthPerMinuteAveragedOverForks() throws Exception {
        JsonNode benchmark = json("{\"measurementTime\": \"20 s\"}");
        // Fork 1 grows 3 MB an iteration (9 MB/min at 20 s), fork 2 is flat: the mean is 4.5 MB/min.
        JsonNode metric = json("{\"rawData\": [[100, 103, 106, 109], [200, 200, 200, 200]]}");
        assertEquals(4.5, PacedResults.slopePerMinute(metric, benchmark), 1e-9);
    }

    @Test
    void noisyButFlatRssHasASlopeNearZero() throws Exception {
        JsonNode benchmark = json("{\"measurementTime\": \"60 s\"}");
        JsonNode metric = json("{\"rawData\": [[150, 152, 149, 151, 150, 152, 149, 151]]}");
        assertEquals(0, PacedResults.slopePerMinute(metric, benchmark), 0.3);
    }

    @Test
    void tooFewIterationsOrAnUnknownTimeGiveNoSlope() throws Exception {
        assertTrue(Double.isNaN(PacedResults.slopePerMinute(json("{\"rawData\": [[1, 2]]}"), json("{\"measurementTime\": \"5 s\"}"))));
        assertTrue(Double.isNaN(PacedResults.slopePerMinute(json("{\"rawData\": [[1, 2, 3]]}"), json("{\"measurementTime\": \"five\"}"))));
        assertEquals(0.5, PacedResults.seconds("500 ms"), 1e-12);
    }
}
