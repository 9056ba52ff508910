package dev.framebench.transport.shm.ffm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.framebench.transport.shm.ffm.ShmRing.INT;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.DATA_FUTEX_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.DATA_WAITER_OFFSET;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wake-up protocol on a header in this process's memory: the futex keys on the page either way. */
class RingSignalTest {
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    @Test
    void wakesOnlyAFlaggedWaiter() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment header = arena.allocate(HEADER_LENGTH, HEADER_LENGTH);
            RingSignal signal = new RingSignal(header, DATA_WAITER_OFFSET, DATA_FUTEX_OFFSET);

            signal.wakeIfWaiting();
            assertEquals(0, header.get(INT, DATA_FUTEX_OFFSET), "nobody flagged: no wake-up, no system call");

            int word = signal.flagWaiting();
            assertEquals(1, header.get(INT, DATA_WAITER_OFFSET));
            signal.wakeIfWaiting();
            assertEquals(word + 1, header.get(INT, DATA_FUTEX_OFFSET));

            // The wake came between the waiter's re-check and its sleep: the moved word makes the sleep return at once.
            signal.sleep(word, HOUR_NANOS);
            signal.clearWaiting();
            assertEquals(0, header.get(INT, DATA_WAITER_OFFSET));
            signal.wakeIfWaiting();
            assertEquals(word + 1, header.get(INT, DATA_FUTEX_OFFSET), "a waiter that woke is not woken again");
        }
    }

    @Test
    void wakesAWaiterAsleepInTheKernel() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment header = arena.allocate(HEADER_LENGTH, HEADER_LENGTH);
            RingSignal signal = new RingSignal(header, DATA_WAITER_OFFSET, DATA_FUTEX_OFFSET);
            CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> {
                int word = signal.flagWaiting();
                signal.sleep(word, HOUR_NANOS); // returns only when woken (or an hour from now)
                signal.clearWaiting();
            });
            while (header.get(INT, DATA_WAITER_OFFSET) == 0) {
                Thread.sleep(1);
            }
            signal.wakeIfWaiting();
            sleeper.get(30, TimeUnit.SECONDS);
        }
    }
}
