package dev.framebench.transport.socket;

import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides which connection to a receiver's listener is its one sender, and refuses every other one,
 * counted in {@link ForeignConnections}. The listener stays open for the whole run only so that strangers
 * are accepted and refused where they can be seen: a closed listener would keep them out too, but the
 * kernel would refuse them unseen.
 *
 * <ul>
 *   <li>Without a {@link RunToken}: the first connection is the sender, as peers written before the token
 *       expect; every later one is closed at once, before a byte of it is read.</li>
 *   <li>With one: each connection must first pass the {@link PeerCheck}, if any (the peer's uid on a
 *       Unix-domain socket), and then present the run's {@link SenderHello} as its first 24 bytes within
 *       {@link RunToken#helloDeadline}. Connections are checked in parallel, one short-lived thread each, so
 *       a stranger that connects first and says nothing holds back no one: the first connection to present
 *       the hello is the sender. Any other is closed unread beyond its hello and counted, and the receiver
 *       keeps waiting for its sender until the deadline of {@link #awaitSender}; once it is served, later
 *       connections are closed as they are accepted.</li>
 * </ul>
 *
 * <p>Threading: one daemon thread accepts (with a selector of the listener's own provider: a library's
 * channels, junixsocket's, register only with its selectors), one daemon thread per connection being
 * checked reads its hello in blocking mode under a {@link DeadlineWatchdog}; {@link #awaitSender} is called
 * by the receiving thread, {@link #refused()} and {@link #close()} from any.
 */
public final class SenderGate implements AutoCloseable {
    /**
     * The listen backlog every listener here binds with. One sender per receiver would do with 1, but with a
     * token strangers may connect before the sender; a few queued connections keep the kernel from dropping
     * the sender's SYN (TCP) or failing its connect with EAGAIN (Unix domain) while the gate catches up.
     */
    public static final int BACKLOG = 16;
    /** Connections whose hello is being awaited at once; more are refused at once, so strangers cannot pile up threads. */
    static final int MAX_UNVERIFIED = 16;
    /** How long close() waits for the accepting thread, which wakes at once. */
    private static final long JOIN_MILLIS = 2_000;

    /** What a transport checks of a connection before its hello is read (a Unix-domain peer's uid). */
    @FunctionalInterface
    public interface PeerCheck {
        /** Null when the peer may present a hello; otherwise why not, as one phrase naming the values. */
        String refusal(SocketChannel connection) throws IOException;
    }

    private final ServerSocketChannel server;
    private final String endpoint;
    private final RunToken token;
    private final PeerCheck peerCheck;
    private final ForeignConnections foreign;
    private final String threadName;
    /** The sender, once chosen; completed with null by close(), so nothing is chosen after it. */
    private final CompletableFuture<SocketChannel> sender = new CompletableFuture<>();
    private final Set<SocketChannel> unverified = ConcurrentHashMap.newKeySet();
    /** The deadline of the latest awaitSender: a hello is awaited no longer than that. */
    private volatile long awaitDeadlineNanos;
    private volatile boolean taken;
    private volatile boolean closed;
    // Receiving thread (start) and close().
    private Selector selector;
    private Thread acceptor;

    private SenderGate(ServerSocketChannel server, String transport, String endpoint, RunToken token, PeerCheck peerCheck) {
        this.server = server;
        this.endpoint = endpoint;
        this.token = token;
        this.peerCheck = peerCheck;
        this.foreign = new ForeignConnections(transport);
        this.threadName = "framebench-" + transport + "-gate";
    }

    /**
     * A gate on {@code server}, bound and not yet accepting: the first {@link #awaitSender} starts it.
     * {@code transport} and {@code endpoint} (the listener as a sender reaches it) name the refusal lines;
     * {@code token} and {@code peerCheck} may be null (no token: the first connection is the sender).
     */
    public static SenderGate open(ServerSocketChannel server, String transport, String endpoint, RunToken token, PeerCheck peerCheck) {
        return new SenderGate(server, transport, endpoint, token, peerCheck);
    }

    /**
     * The sender's connection, in blocking mode and, with a token, just past its hello; waits for it until
     * the deadline. Later calls return the same connection, which the caller owns from then on.
     */
    public SocketChannel awaitSender(long deadlineNanos) {
        awaitDeadlineNanos = deadlineNanos;
        start();
        SocketChannel chosen;
        try {
            chosen = sender.get(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            int refused = foreign.count();
            throw new TransportTimeoutException("timed out waiting for a sender to connect to " + endpoint
                    + (refused == 0 ? "" : "; refused " + refused + " connection(s), see the lines above"));
        } catch (ExecutionException e) {
            throw new TransportException("cannot accept a sender on " + endpoint + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted waiting for a sender on " + endpoint, e);
        }
        if (chosen == null) {
            throw new TransportException("the receiver on " + endpoint + " is closed");
        }
        taken = true;
        return chosen;
    }

    /** How many connections were refused so far. */
    public int refused() {
        return foreign.count();
    }

    private synchronized void start() {
        if (acceptor != null || closed) {
            return;
        }
        Selector accepting = null;
        try {
            accepting = server.provider().openSelector();
            server.configureBlocking(false);
            server.register(accepting, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            Sockets.closeQuietly(accepting);
            throw new TransportException("cannot accept a sender on " + endpoint + ": " + e.getMessage(), e);
        }
        selector = accepting;
        Selector owned = accepting;
        acceptor = new Thread(() -> acceptUntilClosed(owned), threadName);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptUntilClosed(Selector selector) {
        try (selector) {
            while (!closed) {
                selector.select();
                selector.selectedKeys().clear();
                SocketChannel connection;
                while (!closed && (connection = server.accept()) != null) {
                    admit(connection);
                }
            }
        } catch (ClosedChannelException | ClosedSelectorException e) {
            // close() ran: the listener is gone, so is the need to guard it.
        } catch (IOException e) {
            if (!closed) {
                sender.completeExceptionally(e);
                System.err.println("framebench receiver: stopped accepting on " + endpoint + ": " + e.getMessage()
                        + "; later connections wait in the backlog and are never read");
            }
        }
    }

    private void admit(SocketChannel connection) {
        if (sender.isDone()) {
            refuse(connection, RefusedSenders.SERVING_ONE_SENDER);
        } else if (token == null) {
            try {
                connection.configureBlocking(true);
            } catch (IOException e) {
                refuse(connection, "broke the connection as it was accepted: " + e.getMessage() + "; it waits for the next");
                return;
            }
            if (!sender.complete(connection)) {
                refuse(connection, RefusedSenders.SERVING_ONE_SENDER);
            }
        } else if (unverified.size() >= MAX_UNVERIFIED) {
            refuse(connection, MAX_UNVERIFIED + " connections are awaiting their hello already; " + RefusedSenders.WAITING_FOR_THE_SENDER);
        } else {
            unverified.add(connection);
            long helloDeadline = RunToken.helloDeadline(awaitDeadlineNanos);
            Thread checker = new Thread(() -> check(connection, helloDeadline), threadName + "-hello");
            checker.setDaemon(true);
            checker.start();
        }
    }

    /** Runs on a connection's own thread: the peer check, then its hello; the first to pass is the sender. */
    private void check(SocketChannel connection, long helloDeadlineNanos) {
        String refusal;
        try {
            connection.configureBlocking(true);
            refusal = peerCheck == null ? null : peerCheck.refusal(connection);
            if (refusal == null) {
                refusal = readHello(connection, helloDeadlineNanos);
            }
        } catch (IOException e) {
            refusal = "broke the connection before its hello: " + e.getMessage();
        } catch (RuntimeException e) {
            // A peer check the platform cannot make (no SO_PEERCRED) refuses rather than lets the peer through.
            refusal = "could not be checked: " + e;
        } finally {
            unverified.remove(connection);
        }
        if (refusal == null && sender.complete(connection)) {
            return;
        }
        if (refusal == null) {
            refusal = "presented the run's token after the sender did";
        }
        refuse(connection, refusal + "; " + (sender.isDone() ? RefusedSenders.SERVING_ONE_SENDER : RefusedSenders.WAITING_FOR_THE_SENDER));
    }

    /** Null when the first bytes are the run's hello; otherwise why not. Nothing past the hello is read. */
    private String readHello(SocketChannel connection, long deadlineNanos) throws IOException {
        ByteBuffer hello = ByteBuffer.allocate(SenderHello.LENGTH);
        DeadlineWatchdog.Armed watchdog = DeadlineWatchdog.watch(connection);
        boolean closedByPeer = false;
        try {
            watchdog.arm(deadlineNanos);
            while (hello.hasRemaining() && !closedByPeer) {
                closedByPeer = connection.read(hello) < 0;
            }
        } catch (IOException e) {
            if (!watchdog.fired()) {
                throw e;
            }
        } finally {
            watchdog.disarm();
            watchdog.unwatch();
        }
        if (watchdog.fired()) {
            return "no hello within " + RunToken.HELLO_TIMEOUT.toMillis() + " ms or the receiver's deadline (got " + hello.position()
                    + " of " + SenderHello.LENGTH + " bytes)";
        }
        if (hello.hasRemaining()) {
            return "closed the connection after " + hello.position() + " of the " + SenderHello.LENGTH + " bytes of a hello";
        }
        hello.flip();
        int result = token.check(hello);
        return result == SenderHello.HELLO_OK ? null : SenderHello.refusal(MemorySegment.ofBuffer(hello), result);
    }

    private void refuse(SocketChannel connection, String reason) {
        SocketAddress peer = null;
        try {
            peer = connection.getRemoteAddress();
        } catch (IOException ignored) {
            // Gone already; it is still one refused connection.
        }
        Sockets.closeQuietly(connection);
        if (!closed) {
            foreign.refused(endpoint, peer, reason);
        }
    }

    /** Stops accepting, closes the listener and every connection not handed out. */
    @Override
    public void close() {
        closed = true;
        // Nothing is chosen from here on; a sender chosen but never taken is closed here.
        if (!sender.complete(null) && !taken && !sender.isCompletedExceptionally()) {
            Sockets.closeQuietly(sender.getNow(null));
        }
        Thread running;
        synchronized (this) {
            running = acceptor;
            if (selector != null) {
                selector.wakeup();
            }
        }
        if (running != null) {
            try {
                running.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Sockets.closeQuietly(server);
        unverified.forEach(Sockets::closeQuietly);
    }
}
