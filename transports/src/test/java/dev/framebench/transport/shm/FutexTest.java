package dev.framebench.transport.shm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FutexTest {
    @Test
    void wakesAThreadSleepingOnTheWord() throws Exception {
        assertTrue(Futex.available(), "futex syscall must be reachable on Linux x86-64/aarch64");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = arena.allocate(4, 4);
            CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> {
                while (word.get(ValueLayout.JAVA_INT, 0) == 0) {
                    // Sleeps far longer than the test takes unless woken.
                    Futex.await(word, 0, TimeUnit.SECONDS.toNanos(60));
                }
            });
            while (!sleeper.isDone()) {
                word.set(ValueLayout.JAVA_INT, 0, 1);
                Futex.wake(word, 1);
                Thread.sleep(10);
            }
            sleeper.get(30, TimeUnit.SECONDS);
            assertEquals(1, word.get(ValueLayout.JAVA_INT, 0));
        }
    }

    @Test
    void returnsAtOnceWhenTheWordAlreadyDiffers() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(4, 4);
            word.set(ValueLayout.JAVA_INT, 0, 7);
            Futex.await(word, 0, TimeUnit.SECONDS.toNanos(60)); // EAGAIN: the value is not 0
            assertEquals(0, Futex.wake(word, 1));
        }
    }
}
