package dev.framebench.harness.peer;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PacedScheduleTest {
    @Test
    void thirtyFpsIsAWholeNumberOfNanosecondsApart() {
        PacedSchedule schedule = PacedSchedule.ofFps("30");
        assertEquals(33_333_333, schedule.intervalNanos());
        assertEquals(1_000 + 3 * 33_333_333L, schedule.intendedNanos(1_000, 3));
        assertEquals(33_333_333 / 4, schedule.phaseNanos(1, 4));
        assertEquals(33_366_700, PacedSchedule.ofFps("29.97").intervalNanos());
    }

    @Test
    void rejectsZeroFpsWithOneLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> PacedSchedule.ofFps("0"));
        assertEquals("bad value fps=0; allowed: frames per second of each stream, a number above 0 and at most 10000 (e.g. 30 or 29.97)",
                e.getMessage());
    }

    @Test
    void rejectsZeroStreamsWithOneLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> PacedSchedule.streams("0"));
        assertEquals("bad value streams=0; allowed: a whole number from 1 to 1024", e.getMessage());
    }

    @Test
    void rejectsUnknownTopologyWithOneLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> Topology.byName("star"));
        assertEquals("unknown topology 'star'; valid topologies: thread-per-stream, process-per-stream", e.getMessage());
    }
}
