package dev.framebench.transport.netty;

import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Bridges Netty's futures to framebench's deadlines: every wait on the event loop ends by its deadline. */
final class NettyFutures {
    private static final Duration SHUTDOWN_AFTER_FAILURE = Duration.ofSeconds(10);

    private NettyFutures() {
    }

    /**
     * Waits until {@code future} completes or the deadline passes. Throws a timeout naming what was being
     * done ({@code "connecting to receiver tcp-netty://127.0.0.1:7000"}), or a failure with its cause.
     */
    static void await(Future<?> future, long deadlineNanos, String doing) {
        boolean done;
        try {
            done = future.await(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted " + doing, e);
        }
        if (!done) {
            throw new TransportTimeoutException("timed out " + doing);
        }
        Throwable cause = future.cause();
        if (cause instanceof TransportTimeoutException timeout) {
            throw new TransportTimeoutException(timeout.getMessage());
        }
        if (cause instanceof TransportException failure) {
            // Raised on the event loop with the whole story; rethrown here for this thread's stack.
            throw new TransportException(failure.getMessage(), failure);
        }
        if (cause != null) {
            String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            throw new TransportException("failed " + doing + ": " + why, cause);
        }
    }

    /** Stops the group's thread, closing its channels; throws if it is still running at the deadline. */
    static void shutdown(EventLoopGroup group, long deadlineNanos, String role) {
        // No quiet period: nothing is submitted after close, and waiting for one would only add latency.
        Future<?> terminated = group.shutdownGracefully(0, Math.max(1, Deadline.remainingMillis(deadlineNanos)), TimeUnit.MILLISECONDS);
        await(terminated, deadlineNanos, "stopping the Netty event loop of the " + role);
    }

    /** Stops the group of a channel that failed to open; a failure to stop is added to {@code failure}, which the caller throws. */
    static void shutdownAfterFailure(EventLoopGroup group, RuntimeException failure, String role) {
        try {
            shutdown(group, Deadline.after(SHUTDOWN_AFTER_FAILURE), role);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
