package dev.framebench.harness.session;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.Deadline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The wait for a trial's senders to be ready while its receivers take them: a receiver may have to take a
 * sender's hello before that sender can finish connecting (a ring's sender waits to be accepted), so the
 * two waits overlap, each with the same deadline.
 */
final class ReadyWait {
    private ReadyWait() {
    }

    /** Runs {@code accept} on a thread of its own while {@code awaitReady} runs on this one; both must end by the deadline. */
    static void overlap(Runnable accept, Runnable awaitReady, long deadlineNanos) {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        Thread acceptor = new Thread(() -> {
            try {
                accept.run();
                accepted.complete(null);
            } catch (Throwable t) {
                accepted.completeExceptionally(t);
            }
        }, "framebench-accept-senders");
        acceptor.setDaemon(true);
        acceptor.start();
        awaitReady.run();
        try {
            accepted.get(Math.max(1, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new TransportException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new TransportTimeoutException("the receiver did not take its senders' hellos in time, although every sender said READY");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted waiting for the receiver to take its senders");
        }
    }
}
