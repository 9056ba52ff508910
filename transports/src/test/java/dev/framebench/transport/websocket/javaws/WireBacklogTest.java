package dev.framebench.transport.websocket.javaws;

import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sender's wait for Java-WebSocket's writer thread, with a thread of this test as the writer. */
class WireBacklogTest {
    private static long seconds(int s) {
        return Deadline.after(Duration.ofSeconds(s));
    }

    @Test
    void returnsOnceEveryEncodedByteIsWritten() throws Exception {
        WireBacklog backlog = new WireBacklog();
        backlog.encoded(100);
        backlog.encoded(28);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            backlog.written(100);
            backlog.written(28);
        });
        backlog.awaitWritten(seconds(10), "waiting for the writer");
        writer.get();
    }

    @Test
    void timesOutWhileBytesAreOutstanding() {
        WireBacklog backlog = new WireBacklog();
        backlog.encoded(128);
        backlog.written(127);
        TransportTimeoutException e = assertThrows(TransportTimeoutException.class,
                () -> backlog.awaitWritten(Deadline.after(Duration.ofMillis(100)), "waiting for the writer"));
        assertEquals("timed out waiting for the writer", e.getMessage());
    }

    @Test
    void failsAtOnceWhenTheConnectionEnds() throws Exception {
        WireBacklog backlog = new WireBacklog();
        backlog.encoded(128);
        CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> backlog.connectionEnded("connection closed by the receiver: code=1001 (going away)"));
        TransportException e = assertThrows(TransportException.class, () -> backlog.awaitWritten(seconds(30), "waiting for the writer"));
        assertEquals("connection closed by the receiver: code=1001 (going away) while waiting for the writer", e.getMessage());
        closer.get();
    }
}
