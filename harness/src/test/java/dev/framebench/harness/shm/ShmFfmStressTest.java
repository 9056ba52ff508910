package dev.framebench.harness.shm;

import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import dev.framebench.error.TransportTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shm-ffm} between two real JVMs, hard: 100,000 records of 64 B to 64 KiB through a 256 KiB ring,
 * so it wraps thousands of times, pads often, and each side keeps catching up with the other. Every byte
 * and the order of every record are checked; the stream must then end cleanly. Run with both sides
 * sleeping in the kernel (the futex protocol) and both busy-polling (the memory ordering alone, at the
 * highest rate of races).
 */
class ShmFfmStressTest {
    private static final int RECORDS = 100_000;
    private static final String RING_BYTES = "shm.ringBytes=262144";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Transport transport = TransportRegistry.byName("shm-ffm");

    @ParameterizedTest(name = "idle={0}")
    @ValueSource(strings = {"futex", "spin"})
    void everyRecordCrossesIntactAndInOrder(String idle) throws Exception {
        TransportOptions options = TransportOptions.parse(RING_BYTES + ";idle=" + idle);
        try (FrameReceiver receiver = transport.openReceiver(options, StressRecords.MAX_BYTES);
             StressRecords stress = new StressRecords()) {
            Process producer = ShmFfmStressProducer.launch(receiver.endpoint(), options, RECORDS);
            try {
                receiver.awaitSender(Deadline.after(TIMEOUT));
                for (long n = 0; n < RECORDS; n++) {
                    MemorySegment record = receiver.receive(Deadline.after(TIMEOUT));
                    assertNotNull(record, "the stream ended after " + n + " records");
                    String mismatch = stress.mismatch(record, n);
                    assertTrue(mismatch.isEmpty(), mismatch);
                    receiver.release();
                }
                assertNull(receiver.receive(Deadline.after(TIMEOUT)), "a clean end of stream after the last record");
                assertTrue(producer.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                assertEquals(0, producer.exitValue());
            } finally {
                producer.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aKilledSenderJvmEndsReceiveNamingItsPid() throws Exception {
        TransportOptions options = TransportOptions.parse(RING_BYTES + ";idle=futex");
        try (FrameReceiver receiver = transport.openReceiver(options, StressRecords.MAX_BYTES);
             StressRecords stress = new StressRecords()) {
            Process producer = ShmFfmStressProducer.launch(receiver.endpoint(), options, 0);
            try {
                receiver.awaitSender(Deadline.after(TIMEOUT));
                long n = 0;
                for (; n < 1_000; n++) {
                    assertTrue(stress.mismatch(receiver.receive(Deadline.after(TIMEOUT)), n).isEmpty());
                    receiver.release();
                }
                producer.destroyForcibly().waitFor();

                long drained = n;
                TransportException e = assertThrows(TransportException.class, () -> {
                    // What the producer committed before it died is still whole in the ring: drain it, then the death shows.
                    for (long m = drained; ; m++) {
                        MemorySegment record = receiver.receive(Deadline.after(TIMEOUT));
                        assertNotNull(record, "a killed sender never closed the stream");
                        assertTrue(stress.mismatch(record, m).isEmpty());
                        receiver.release();
                    }
                });
                assertFalse(e instanceof TransportTimeoutException, e.getMessage());
                assertEquals("sender pid " + producer.pid() + " died without closing the stream on ring " + receiver.endpoint(), e.getMessage());
            } finally {
                producer.destroyForcibly().waitFor();
            }
        }
    }
}
