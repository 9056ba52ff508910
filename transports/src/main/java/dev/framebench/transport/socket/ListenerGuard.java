package dev.framebench.transport.socket;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Keeps a receiver's listener open after its one sender was accepted, only to accept and close every later
 * connection and count it in {@link ForeignConnections}. A closed listener would also keep strangers out,
 * but the kernel would refuse them unseen, and a run disturbed by them could not say so.
 *
 * <p>Threading: one daemon thread, which owns a selector of the listener's own provider (a library's
 * channels, junixsocket's, register only with its selectors); {@link #close()} may be called from any thread.
 */
public final class ListenerGuard implements AutoCloseable {
    /** How long close() waits for the guard thread, which wakes at once. */
    private static final long JOIN_MILLIS = 2_000;

    private final ServerSocketChannel server;
    private final ForeignConnections foreign;
    private final String endpoint;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean closed;

    private ListenerGuard(ServerSocketChannel server, ForeignConnections foreign, String endpoint, Selector selector, String name) {
        this.server = server;
        this.foreign = foreign;
        this.endpoint = endpoint;
        this.selector = selector;
        this.thread = new Thread(this::refuseUntilClosed, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts refusing on {@code server}, which must have accepted its sender already; {@code transport}
     * and {@code endpoint} (the listener as a sender reaches it) name the refusal lines.
     */
    public static ListenerGuard start(ServerSocketChannel server, String transport, String endpoint) throws IOException {
        Selector selector = server.provider().openSelector();
        try {
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        ListenerGuard guard = new ListenerGuard(server, new ForeignConnections(transport), endpoint, selector,
                "framebench-" + transport + "-listener-guard");
        guard.thread.start();
        return guard;
    }

    private void refuseUntilClosed() {
        try (selector) {
            while (!closed) {
                selector.select();
                selector.selectedKeys().clear();
                SocketChannel stranger;
                while (!closed && (stranger = server.accept()) != null) {
                    refuse(stranger);
                }
            }
        } catch (ClosedChannelException | ClosedSelectorException e) {
            // close() ran: the listener is gone, so is the need to guard it.
        } catch (IOException e) {
            if (!closed) {
                System.err.println("framebench receiver: stopped refusing foreign connections on " + endpoint + ": " + e.getMessage()
                        + "; later ones wait in the backlog and are never read");
            }
        }
    }

    private void refuse(SocketChannel stranger) {
        SocketAddress peer = null;
        try {
            peer = stranger.getRemoteAddress();
        } catch (IOException ignored) {
            // Gone already; it is still one refused connection.
        }
        Sockets.closeQuietly(stranger);
        foreign.refused(endpoint, peer);
    }

    /** How many connections were refused so far. */
    public int refused() {
        return foreign.count();
    }

    /** Stops refusing and closes the listener. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Sockets.closeQuietly(server);
    }
}
