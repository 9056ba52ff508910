package dev.framebench.harness.results;

import dev.framebench.harness.jmh.MemoryBaseline;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule that picks a row's memory limit, and the copies per frame the registry reports for it. */
class MemoryLimitTest {
    @Test
    void theLimitIsTheBaselinesBestForkAndARowIsAboveItOnlyWhenItsWholeIntervalIs() {
        // The read-only baseline and two zero-copy rows at 720p-i420 as forks measured them (Intel Xeon guest, bar run of issue 19).
        Estimate readOnly = Estimate.fromForks(List.of(18.19, 14.63, 14.60));
        MemoryLimit slots = MemoryLimit.of(MemoryBaseline.READ_ONLY, readOnly, Estimate.fromForks(List.of(17.12, 18.61, 17.00)));
        assertEquals(18.19, slots.gbps().score(), 1e-9);
        assertTrue(slots.ratio().score() < 1.0, slots.ratio().toString());
        assertFalse(slots.aboveLimit());
        // Centre just over the best fork, interval across 1: at the limit, not beyond it.
        MemoryLimit atLimit = MemoryLimit.of(MemoryBaseline.READ_ONLY, Estimate.fromForks(List.of(16.27, 15.61, 13.41)),
                Estimate.fromForks(List.of(17.34, 15.79, 15.96)));
        assertTrue(atLimit.ratio().score() > 1.0 && atLimit.ratio().low() < 1.0, atLimit.ratio().toString());
        assertFalse(atLimit.aboveLimit());
        // Every fork well above the best baseline fork: above, a measurement to investigate.
        MemoryLimit beyond = MemoryLimit.of(MemoryBaseline.READ_ONLY, readOnly, Estimate.fromForks(List.of(24.0, 25.0, 24.5)));
        assertTrue(beyond.aboveLimit(), beyond.ratio().toString());
        // One fork: no interval, the centre decides.
        assertTrue(MemoryLimit.of(MemoryBaseline.READ_ONLY, readOnly, Estimate.fromForks(List.of(19.0))).aboveLimit());
    }

    @Test
    void aTransportThatCopiesIsHeldToCopyPlusReadWhenItsReceiverReads() {
        for (int copies : new int[] {1, 2, 7}) {
            assertEquals(Optional.of(MemoryBaseline.COPY_READ), MemoryLimit.applying(copies, "read"));
            assertEquals(Optional.of(MemoryBaseline.COPY_READ), MemoryLimit.applying(copies, "verify"));
        }
    }

    @Test
    void aTransportThatCopiesWhileNothingReadsIsHeldToMemcpy() {
        assertEquals(Optional.of(MemoryBaseline.MEMCPY), MemoryLimit.applying(1, "none"));
        assertEquals(Optional.of(MemoryBaseline.MEMCPY), MemoryLimit.applying(2, "none"));
    }

    @Test
    void aZeroCopyTransportIsHeldToReadOnlyWhenItsReceiverReadsAndToNothingOtherwise() {
        assertEquals(Optional.of(MemoryBaseline.READ_ONLY), MemoryLimit.applying(0, "read"));
        assertEquals(Optional.of(MemoryBaseline.READ_ONLY), MemoryLimit.applying(0, "verify"));
        assertEquals(Optional.empty(), MemoryLimit.applying(0, "none"));
    }

    @Test
    void unknownCopiesOrConsumeModeHaveNoLimit() {
        assertEquals(Optional.empty(), MemoryLimit.applying(-1, "read"));
        assertEquals(Optional.empty(), MemoryLimit.applying(1, "sometimes"));
    }

    @Test
    void theRegistryTellsEachTransportsCopiesPerFrame() {
        assertEquals(OptionalInt.of(0), TransportCopies.of("inproc-handoff"));
        assertEquals(OptionalInt.of(0), TransportCopies.of("null"));
        assertEquals(OptionalInt.of(1), TransportCopies.of("inproc-copy"));
        assertEquals(OptionalInt.of(1), TransportCopies.of("shm-ffm"));
        assertEquals(OptionalInt.of(1), TransportCopies.of("shm-agrona"));
        assertEquals(OptionalInt.of(1), TransportCopies.of("shm-agrona-mpsc"));
        for (String socket : List.of("tcp", "uds-jdk", "uds-junix", "aeron-ipc", "file-handoff")) {
            assertEquals(OptionalInt.of(2), TransportCopies.of(socket), socket);
        }
        assertTrue(TransportCopies.of("tcp-netty").orElseThrow() > 2, "Netty's decoder copies once more");
        assertTrue(TransportCopies.of("ws-netty").orElseThrow() > 2, "masking and cumulation copy");
        assertTrue(TransportCopies.of("ws-javaws").orElseThrow() > 2, "the library's heap buffers copy");
        assertTrue(TransportCopies.of("s3-handoff").orElseThrow() > 2, "a store in between copies");
        assertEquals(OptionalInt.empty(), TransportCopies.of("fifo"), "a transport not on the class path");
    }

    @Test
    void aRowAboveItsLimitIsFlaggedAndOneBelowIsNot() {
        Estimate below = Estimate.fromForks(List.of(0.9, 0.95));
        Estimate above = Estimate.fromForks(List.of(1.10, 1.11, 1.12));
        assertFalse(new MemoryLimit(MemoryBaseline.COPY_READ, Estimate.fromForks(List.of(9.0, 9.0)), below).aboveLimit());
        assertTrue(new MemoryLimit(MemoryBaseline.COPY_READ, Estimate.fromForks(List.of(9.0, 9.0)), above).aboveLimit());
        assertFalse(MemoryLimit.NONE.aboveLimit());
    }
}
