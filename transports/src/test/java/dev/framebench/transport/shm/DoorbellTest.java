package dev.framebench.transport.shm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The wake-up handshake on a doorbell in this process's memory (the futex keys on the page either way):
 * each test sleeps for an hour unless the handshake wakes it, so a lost wake-up hangs instead of passing.
 */
class DoorbellTest {
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    private static int waiters(MemorySegment bell) {
        return bell.get(ValueLayout.JAVA_INT, Doorbell.WAITERS_OFFSET);
    }

    private static int word(MemorySegment bell) {
        return bell.get(ValueLayout.JAVA_INT, Doorbell.WORD_OFFSET);
    }

    @Test
    void ringsOnlyWhileAWaiterIsAnnounced() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bell = arena.allocate(Doorbell.LENGTH, Doorbell.LENGTH);
            Doorbell doorbell = new Doorbell(bell);

            doorbell.ring();
            assertEquals(0, word(bell), "nobody announced: no wake-up, no system call");

            int[] seenWhileAnnounced = new int[2];
            // The waker publishes between the waiter's announcement and its sleep: its ring moves the word the
            // waiter observed, so FUTEX_WAIT returns at once instead of sleeping the hour through.
            doorbell.sleepUnless(() -> {
                seenWhileAnnounced[0] = waiters(bell);
                doorbell.ring();
                seenWhileAnnounced[1] = word(bell);
                return false;
            }, HOUR_NANOS);
            assertEquals(1, seenWhileAnnounced[0], "announced before the condition is re-checked");
            assertEquals(1, seenWhileAnnounced[1], "a ring while announced moves the word");
            assertEquals(0, waiters(bell), "awake again: no longer announced");

            doorbell.ring();
            assertEquals(1, word(bell), "a waiter that woke is not woken again");
        }
    }

    @Test
    void doesNotSleepWhenTheConditionHoldsOnceAnnounced() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bell = arena.allocate(Doorbell.LENGTH, Doorbell.LENGTH);
            new Doorbell(bell).sleepUnless(() -> true, HOUR_NANOS);
            assertEquals(0, waiters(bell));
            assertEquals(0, word(bell));
        }
    }

    @Test
    void wakesAWaiterAsleepInTheKernel() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bell = arena.allocate(Doorbell.LENGTH, Doorbell.LENGTH);
            Doorbell doorbell = new Doorbell(bell);
            CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> doorbell.sleepUnless(() -> false, HOUR_NANOS));
            while (waiters(bell) == 0) {
                Thread.sleep(1);
            }
            doorbell.ring();
            sleeper.get(30, TimeUnit.SECONDS);
            assertEquals(0, waiters(bell));
        }
    }

    @Test
    void oneRingWakesEveryAnnouncedWaiter() throws Exception {
        // shm-agrona-mpsc: several senders sleep on one space doorbell; a release must not strand any of them.
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bell = arena.allocate(Doorbell.LENGTH, Doorbell.LENGTH);
            Doorbell doorbell = new Doorbell(bell);
            List<Thread> sleepers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sleepers.add(Thread.ofPlatform().name("sleeper-" + i).start(() -> doorbell.sleepUnless(() -> false, HOUR_NANOS)));
            }
            while (waiters(bell) < 3) {
                Thread.sleep(1);
            }
            doorbell.ring();
            for (Thread sleeper : sleepers) {
                sleeper.join(TimeUnit.SECONDS.toMillis(30));
                assertEquals(Thread.State.TERMINATED, sleeper.getState(), sleeper.getName() + " was not woken");
            }
            assertEquals(0, waiters(bell));
            assertEquals(1, word(bell), "one ring, one move of the word");
        }
    }

    @Test
    void refusesMemoryThatIsNotOneAlignedDoorbell() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment area = arena.allocate(64, 64);
            assertEquals("a doorbell is 8 bytes, 4-byte aligned: byteSize=4 address=" + area.address(),
                    assertThrows(IllegalArgumentException.class, () -> new Doorbell(area.asSlice(0, 4))).getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Doorbell(area.asSlice(2, Doorbell.LENGTH)));
        }
    }
}
