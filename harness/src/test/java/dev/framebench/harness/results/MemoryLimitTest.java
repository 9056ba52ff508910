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
        Estimate above = Estimate.fromForks(List.of(1.05, 1.1));
        assertFalse(new MemoryLimit(MemoryBaseline.COPY_READ, Estimate.fromForks(List.of(9.0, 9.0)), below).aboveLimit());
        assertTrue(new MemoryLimit(MemoryBaseline.COPY_READ, Estimate.fromForks(List.of(9.0, 9.0)), above).aboveLimit());
        assertFalse(MemoryLimit.NONE.aboveLimit());
    }
}
