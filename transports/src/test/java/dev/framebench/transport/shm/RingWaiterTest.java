package dev.framebench.transport.shm;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one waiting loop both rings use, in every idle mode, with a real doorbell and real futexes. */
class RingWaiterTest {
    private static final RingWaiter.PeerCheck ALIVE = () -> null;

    private static RingWaiter waiter(IdleMode mode, Arena arena) {
        return new RingWaiter(mode, new Doorbell(arena.allocate(Doorbell.LENGTH, Doorbell.LENGTH)));
    }

    @ParameterizedTest
    @EnumSource(IdleMode.class)
    void returnsOnceTheOtherSidePublishes(IdleMode mode) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bell = arena.allocate(Doorbell.LENGTH, Doorbell.LENGTH);
            Doorbell doorbell = new Doorbell(bell);
            RingWaiter waiter = new RingWaiter(mode, doorbell);
            AtomicBoolean published = new AtomicBoolean();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(
                    () -> waiter.await(published::get, Deadline.after(Duration.ofSeconds(30)), "waiting for the test", ALIVE));
            Thread.sleep(20);
            published.set(true);
            doorbell.ring();
            waiting.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(IdleMode.class)
    void timesOutNamingWhatItAwaited(IdleMode mode) {
        try (Arena arena = Arena.ofShared()) {
            RingWaiter waiter = waiter(mode, arena);
            TransportTimeoutException e = assertThrows(TransportTimeoutException.class,
                    () -> waiter.await(() -> false, Deadline.after(Duration.ofMillis(50)), "waiting for Godot", ALIVE));
            assertEquals("timed out waiting for Godot", e.getMessage());
        }
    }

    @Test
    void returnsAtOnceWhenTheConditionAlreadyHolds() {
        try (Arena arena = Arena.ofShared()) {
            AtomicInteger polls = new AtomicInteger();
            waiter(IdleMode.FUTEX, arena).await(() -> polls.incrementAndGet() > 0, Deadline.after(Duration.ofSeconds(1)), "nothing",
                    () -> "no peer check before a wait");
            assertEquals(1, polls.get());
        }
    }

    @ParameterizedTest
    @EnumSource(IdleMode.class)
    void failsWithThePeersLineWhenThePeerDies(IdleMode mode) {
        try (Arena arena = Arena.ofShared()) {
            RingWaiter waiter = waiter(mode, arena);
            TransportException e = assertThrows(TransportException.class,
                    () -> waiter.await(() -> false, Deadline.after(Duration.ofSeconds(30)), "waiting for a frame", () -> "sender pid 7 died"));
            assertFalse(e instanceof TransportTimeoutException, "the peer check comes well before the deadline");
            assertEquals("sender pid 7 died", e.getMessage());
        }
    }

    @Test
    void aPeerThatPublishedAndThenDiedIsNoFailure() {
        try (Arena arena = Arena.ofShared()) {
            AtomicBoolean published = new AtomicBoolean();
            RingWaiter.PeerCheck publishedThenDied = () -> {
                published.set(true);
                return "sender pid 7 died";
            };
            waiter(IdleMode.SPIN, arena).await(published::get, Deadline.after(Duration.ofSeconds(30)), "waiting for a frame", publishedThenDied);
            assertTrue(published.get());
        }
    }

    @Test
    void knowsALiveProcessFromAnExitedOne() throws Exception {
        assertTrue(RingWaiter.isAlive(ProcessHandle.current().pid()));
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        assertFalse(RingWaiter.isAlive(exited.pid()));
    }
}
