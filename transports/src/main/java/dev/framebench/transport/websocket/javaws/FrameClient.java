package dev.framebench.transport.websocket.javaws;

import dev.framebench.transport.Deadline;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Java-WebSocket's client, set up to send frames: TCP_NODELAY, no keep-alive pings, daemon threads, a
 * metered socket, and the receiver's literal address instead of a name lookup. It keeps what the library
 * reports through callbacks (the first error, how the connection ended) for the sender's error messages.
 *
 * <p>Threading: the library calls back on its read thread (open, close, errors) and on the thread that
 * starts a close; the sender reads the results from its own thread.
 */
final class FrameClient extends WebSocketClient {
    private final CountDownLatch closed = new CountDownLatch(1);
    private final WireBacklog backlog;
    private volatile String firstError;
    private volatile String ending;

    private FrameClient(URI uri, SenderDraft draft, int connectTimeoutMillis, WireBacklog backlog) {
        super(uri, draft, null, connectTimeoutMillis);
        this.backlog = backlog;
    }

    /** A client for {@code uri}, not yet connected, that connects to {@code address} (no name lookup). */
    static FrameClient create(URI uri, InetSocketAddress address, SenderDraft draft, WireBacklog backlog, long deadlineNanos) {
        int connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Deadline.remainingMillis(deadlineNanos));
        FrameClient client = new FrameClient(uri, draft, connectTimeoutMillis, backlog);
        // Nagle would hold back the last partial segment of every frame until the previous one is acked.
        client.setTcpNoDelay(true);
        // The library pings every 60 s by default: frames the benchmark did not ask for, on a timer thread.
        client.setConnectionLostTimeout(0);
        // A sender that fails must not keep its JVM alive through the library's threads.
        client.setDaemon(true);
        client.setSocketFactory(new MeteredSocketFactory(backlog));
        client.setDnsResolver(ignored -> address.getAddress());
        return client;
    }

    /** Connects and completes the handshake, or returns false at the deadline or on failure (see {@link #ending()}). */
    boolean connect(long deadlineNanos) throws InterruptedException {
        return connectBlocking(Math.max(1, Deadline.remainingMillis(deadlineNanos)), TimeUnit.MILLISECONDS);
    }

    /** Waits for the close handshake to finish; false at the deadline. */
    boolean awaitClosed(long deadlineNanos) throws InterruptedException {
        return closed.await(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
    }

    /**
     * Ends the connection without a close handshake. Closing the socket is what unblocks the library's
     * threads: its writer would otherwise keep writing queued frames to a receiver that no longer reads.
     */
    void drop(String why) {
        Socket socket = getSocket();
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // The socket is unusable either way; closing the connection below is what is left.
            }
        }
        closeConnection(CloseFrame.ABNORMAL_CLOSE, why);
    }

    /** How the connection ended, with the first error the library reported; "" while it is open. */
    String ending() {
        String end = ending;
        String error = firstError;
        if (end == null) {
            return error == null ? "" : error;
        }
        return error == null ? end : end + " (" + error + ")";
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        // Nothing to do: the sender learns of the open from connect()'s return.
    }

    @Override
    public void onMessage(String message) {
        // The receiver never sends messages; only close and pong frames come back.
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        // A failed connect reports its exception through onError too: firstError carries it.
        ending = code == CloseFrame.NEVER_CONNECTED ? "no connection"
                : "connection closed by " + (remote ? "the receiver" : "this sender") + ": " + CloseCodes.describe(code, reason);
        backlog.connectionEnded(ending());
        closed.countDown();
    }

    @Override
    public void onError(Exception e) {
        if (firstError == null) {
            firstError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
