package dev.framebench.harness.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.harness.util.Json;
import dev.framebench.transport.Deadline;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Chrome DevTools Protocol over Chromium's {@code --remote-debugging-pipe}: JSON messages, each ended by
 * one NUL byte, commands into the browser's fd 3 and replies and events out of its fd 4. A pipe rather than
 * {@code --remote-debugging-port}, because any local user can drive a TCP port, and only the process that
 * holds a pipe can write to it; and the browser exits when the pipe's writer is gone, which is how a
 * browser learns its harness died.
 *
 * <p>Threading: any thread may {@link #send}; one daemon thread reads replies and completes their futures.
 * Events (messages without an id) are not needed by framebench and are dropped.
 */
public final class DevToolsPipe implements AutoCloseable {
    private final OutputStream commands;
    private final String who;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private volatile String closedBecause;

    DevToolsPipe(OutputStream commands, InputStream replies, String who) {
        this.commands = commands;
        this.who = who;
        Thread reader = new Thread(() -> readReplies(replies), "framebench-devtools-" + who.replace(' ', '-'));
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends one command (to the target of {@code sessionId}, or the browser when null); the future holds its {@code result}. */
    public CompletableFuture<JsonNode> send(String sessionId, String method, ObjectNode params) {
        int id = nextId.getAndIncrement();
        ObjectNode message = Json.object().put("id", id).put("method", method);
        message.set("params", params == null ? Json.object() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String closed = closedBecause;
        if (closed != null) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new TransportException("cannot send " + method + " to " + who + ": " + closed));
        }
        byte[] bytes = Json.line(message).getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (commands) {
                commands.write(bytes);
                commands.write(0);
                commands.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new TransportException("cannot send " + method + " to " + who + ": " + e.getMessage(), e));
        }
        return reply;
    }

    /** Sends one command and waits for its result until the deadline. */
    public JsonNode call(String sessionId, String method, ObjectNode params, long deadlineNanos) {
        return await(send(sessionId, method, params), method, deadlineNanos);
    }

    /** The result of a command sent earlier, waiting until the deadline; failures are one line. */
    public JsonNode await(CompletableFuture<JsonNode> reply, String what, long deadlineNanos) {
        try {
            return reply.get(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TransportTimeoutException("timed out waiting for " + who + " to answer " + what);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new TransportException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted waiting for " + who + " to answer " + what);
        }
    }

    /** Closes the browser's command pipe: Chromium then closes itself ("Connection terminated while reading from pipe"). */
    @Override
    public void close() {
        try {
            synchronized (commands) {
                commands.close();
            }
        } catch (IOException ignored) {
            // The browser is gone already: its end is closed either way.
        }
    }

    private void readReplies(InputStream replies) {
        try (InputStream in = new BufferedInputStream(replies, 1 << 16)) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != 0) {
                    message.write(b);
                    continue;
                }
                dispatch(message.toString(StandardCharsets.UTF_8));
                message.reset();
            }
        } catch (IOException ignored) {
            // A broken pipe is the same as its end: the browser is gone.
        }
        closedBecause = who + " closed its DevTools pipe (the browser exited)";
        pending.values().forEach(f -> f.completeExceptionally(new TransportException(closedBecause)));
        pending.clear();
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (!message.has("id")) {
            return;
        }
        CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
        if (reply == null) {
            return;
        }
        JsonNode error = message.get("error");
        if (error != null) {
            reply.completeExceptionally(new TransportException(who + " refused a DevTools command: " + error.path("message").asText()
                    + (error.has("data") ? " (" + error.get("data").asText() + ")" : "")));
        } else {
            reply.complete(message.path("result"));
        }
    }
}
