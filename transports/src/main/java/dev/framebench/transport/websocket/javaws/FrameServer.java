package dev.framebench.transport.websocket.javaws;

import dev.framebench.error.BadInputException;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.socket.ForeignConnections;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.socket.Sockets;
import dev.framebench.transport.websocket.WebSocketOptions;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Java-WebSocket's server, serving one sender on {@link WebSocketOptions#PATH}. Without a token it
 * accepts the first handshake there and refuses every later one (HTTP 404, the library's only refusal),
 * without touching the connection it serves. With a token every connection is a candidate until one
 * presents the run's hello as its first binary message: that one is the sender, and every other candidate
 * is refused (close code 1008 once open, HTTP 404 during the handshake, or closed when it sends nothing
 * within the hello deadline) and counted once, when it is refused or when it closes first. Once the sender
 * is open, any further connection is closed as it is accepted, before a byte of it is read. Every refusal
 * is counted in {@link ForeignConnections}. It passes the sender's messages, and how its connection ended,
 * to a {@link MessageHandOff}. With {@code ws.deflate=true} it also refuses a sender that does not offer
 * permessage-deflate, so both ends run with it or the run fails.
 *
 * <p>Threading: Java-WebSocket runs a selector thread (accept, read, write, close) and here one decoder
 * thread (handshake, open, messages); with a token one more daemon thread closes candidates whose hello is
 * late. Its selector thread is started here rather than by {@code start()}, so that {@link #shutDown} can
 * wait for it to end.
 */
final class FrameServer extends WebSocketServer {
    /** One connection at a time is served; more decoder threads would only idle. */
    static final int DECODER_THREADS = 1;
    private static final int NO_CLOSE_FRAME = -1;

    private final MessageHandOff handOff;
    private final boolean deflateRequired;
    /** Null without a token: then the first handshake is the sender's. */
    private final RunToken token;
    /** With a token: every connection accepted before the sender presented its hello, until it is decided. */
    private final Map<WebSocket, Boolean> candidates = new ConcurrentHashMap<>();
    /** With a token: closes a candidate whose hello is late; null without one. */
    private final ScheduledExecutorService helloClock;
    /** The receiving thread's latest awaitSender deadline, which caps a hello's; until then only the hello timeout applies. */
    private volatile long awaitDeadlineNanos = Deadline.after(Duration.ofDays(1));
    /** Without a token: true until the sender's first binary message, which is dropped if it is a hello. Decoder thread. */
    private boolean mayStartWithHello;
    private final Thread selectorThread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch senderOpened = new CountDownLatch(1);
    private final ForeignConnections foreign = new ForeignConnections(JavawsTransport.NAME);
    /** Touched by the decoder thread only. */
    private boolean senderClaimed;
    private volatile WebSocket sender;
    /** Noted at open: the library forgets the negotiated extension when the connection closes. */
    private volatile boolean deflating;
    /** The code of the close frame the sender sent, or {@link #NO_CLOSE_FRAME}. */
    private volatile int senderCloseCode = NO_CLOSE_FRAME;
    private volatile Exception startFailure;
    private volatile String lastError;
    private volatile String lastRefusal;

    private FrameServer(InetSocketAddress listen, WebSocketOptions options, MessageHandOff handOff, RunToken token) {
        super(listen, DECODER_THREADS, List.of(new Draft_6455(JavawsTransport.extensions(options), WebSocketOptions.MAX_MESSAGE_BYTES)));
        this.handOff = handOff;
        this.deflateRequired = options.deflate();
        this.token = token;
        this.mayStartWithHello = token == null;
        this.selectorThread = new Thread(this);
        if (token == null) {
            this.helloClock = null;
        } else {
            this.helloClock = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "framebench-" + JavawsTransport.NAME + "-hello-clock");
                thread.setDaemon(true);
                return thread;
            });
            setWebSocketFactory(new CandidateFactory());
        }
    }

    /**
     * Binds {@code listen} and starts serving; fails with a one-line reason if it cannot bind. With a
     * {@code token} (null for none) it takes only a sender that presents the run's hello.
     */
    static FrameServer start(InetSocketAddress listen, WebSocketOptions options, MessageHandOff handOff, RunToken token, long deadlineNanos) {
        FrameServer server = new FrameServer(listen, options, handOff, token);
        // The library pings every 60 s by default: frames the benchmark did not ask for, on a timer thread.
        server.setConnectionLostTimeout(0);
        server.setDaemon(true);
        server.selectorThread.setDaemon(true);
        server.selectorThread.start();
        try {
            server.awaitStarted(deadlineNanos);
        } catch (RuntimeException e) {
            server.shutDown(deadlineNanos);
            throw e;
        }
        return server;
    }

    private void awaitStarted(long deadlineNanos) {
        String listen = InetAddresses.format(getAddress());
        if (!await(started, deadlineNanos)) {
            throw new TransportTimeoutException("timed out starting a WebSocket server on " + listen);
        }
        Exception failure = startFailure;
        if (failure instanceof BindException) {
            throw new BadInputException("cannot listen on " + listen + ": " + failure.getMessage()
                    + "; choose a free port with listen=HOST:PORT or port 0 for any");
        }
        if (failure != null) {
            throw new TransportException("cannot start a WebSocket server on " + listen + ": " + failure, failure);
        }
    }

    /** {@code HOST:PORT} as bound, once started. */
    String endpoint() {
        return InetAddresses.format(new InetSocketAddress(getAddress().getAddress(), getPort()));
    }

    /** The URL a sender connects to, once started. */
    String url() {
        return "ws://" + endpoint() + WebSocketOptions.PATH;
    }

    /** Waits until the sender's handshake has completed, and with a token its hello has passed. */
    void awaitSender(long deadlineNanos) {
        awaitDeadlineNanos = deadlineNanos;
        if (!await(senderOpened, deadlineNanos)) {
            String refusal = lastRefusal;
            throw new TransportTimeoutException("timed out waiting for a sender to connect to " + url()
                    + (refusal == null ? "" : "; refused " + (token == null ? "a handshake" : "a connection") + ": " + refusal));
        }
    }

    /** Connections refused so far because the sender was already served. */
    int foreignConnectionsRefused() {
        return foreign.count();
    }

    /** Whether the sender's connection compresses with permessage-deflate; false before it connects. */
    boolean deflating() {
        return deflating;
    }

    /**
     * Stops serving: closes the sender's connection (close code 1001), then waits until the selector and
     * decoder threads have ended, or the deadline. The hand-off must be closed first, so a decoder thread
     * blocked in it goes on.
     */
    void shutDown(long deadlineNanos) {
        if (helloClock != null) {
            helloClock.shutdownNow();
        }
        try {
            stop(millisLeft(deadlineNanos));
            selectorThread.join(millisLeft(deadlineNanos));
            for (Thread decoder : decoders) {
                decoder.join(millisLeft(deadlineNanos));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft, ClientHandshake request)
            throws InvalidDataException {
        String refusal = refusal(draft, request.getResourceDescriptor());
        if (refusal != null) {
            lastRefusal = refusal;
            if (token != null) {
                if (candidates.remove(conn) != null || sender != null) {
                    count(conn, refusal);
                }
            } else if (senderClaimed) {
                foreign.refused(url(), conn.getRemoteSocketAddress());
            }
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, refusal);
        }
        // With a token the sender is claimed by its hello, not by its handshake.
        senderClaimed |= token == null;
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    private String refusal(Draft draft, String resource) {
        int query = resource.indexOf('?');
        String path = query < 0 ? resource : resource.substring(0, query);
        if (!path.equals(WebSocketOptions.PATH)) {
            return "path " + path + " is not " + WebSocketOptions.PATH;
        }
        if (deflateRequired && !(((Draft_6455) draft).getExtension() instanceof PerMessageDeflateExtension)) {
            return "the sender did not offer permessage-deflate, which " + WebSocketOptions.DEFLATE + "=true requires";
        }
        if (senderClaimed) {
            return "a second sender; this receiver serves one";
        }
        return null;
    }

    /**
     * Runs on the selector thread for each connection waiting to be accepted. Once the sender is open, it
     * accepts and closes every waiting one itself, so the library's own accept that follows finds none;
     * returning false instead would make the library cancel the listener's key, leaving later strangers
     * unseen in the backlog.
     */
    @Override
    protected boolean onConnect(SelectionKey key) {
        if (sender == null) {
            return true;
        }
        try {
            SocketChannel stranger;
            while ((stranger = ((ServerSocketChannel) key.channel()).accept()) != null) {
                SocketAddress peer = null;
                try {
                    peer = stranger.getRemoteAddress();
                } finally {
                    Sockets.closeQuietly(stranger);
                    foreign.refused(url(), peer);
                }
            }
        } catch (IOException e) {
            lastError = "refusing a foreign connection: " + e.getMessage();
        }
        return true;
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        if (token == null) {
            open(conn);
        }
    }

    /** {@code conn} is the sender: awaitSender returns, and later connections are closed as they are accepted. */
    private void open(WebSocket conn) {
        deflating = ((Draft_6455) conn.getDraft()).getExtension() instanceof PerMessageDeflateExtension;
        sender = conn;
        senderOpened.countDown();
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        if (conn != sender) {
            if (token != null && candidates.containsKey(conn)) {
                hello(conn, message);
            }
            return;
        }
        if (mayStartWithHello) {
            mayStartWithHello = false;
            if (isHello(message)) {
                // A sender given a token presents its hello to a receiver given none too: skipped, the first sender is taken.
                return;
            }
        }
        handOff.put(message);
    }

    private static boolean isHello(ByteBuffer message) {
        return message.remaining() == SenderHello.LENGTH
                && SenderHello.isHelloMagic(message.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(message.position()));
    }

    /** A candidate's first binary message: the run's hello makes it the sender, anything else refuses it. Decoder thread. */
    private void hello(WebSocket conn, ByteBuffer message) {
        int bytes = message.remaining();
        MemorySegment presented = MemorySegment.ofBuffer(message);
        int result = bytes == SenderHello.LENGTH ? token.check(presented) : SenderHello.NOT_A_HELLO;
        if (result != SenderHello.HELLO_OK) {
            refuse(conn, SenderHello.refusal(presented, result) + (bytes == SenderHello.LENGTH ? "" : " (a first message of " + bytes + " bytes)"));
            return;
        }
        if (candidates.remove(conn) == null) {
            return;
        }
        if (sender != null) {
            count(conn, "presented the run's token after the sender did");
            conn.close(CloseFrame.POLICY_VALIDATION, "this receiver serves one sender");
            return;
        }
        senderClaimed = true;
        open(conn);
        for (WebSocket other : candidates.keySet()) {
            refuse(other, "another connection presented the run's token first");
        }
    }

    /** With a token: refuses a candidate once, closing it with 1008 (policy violation). Any thread. */
    private void refuse(WebSocket conn, String reason) {
        if (candidates.remove(conn) != null) {
            count(conn, reason);
            conn.close(CloseFrame.POLICY_VALIDATION, "no hello with the run's token");
        }
    }

    private void count(WebSocket conn, String reason) {
        foreign.refused(url(), conn.getRemoteSocketAddress(), reason + "; "
                + (sender != null ? RefusedSenders.SERVING_ONE_SENDER : RefusedSenders.WAITING_FOR_THE_SENDER));
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (token != null && conn != sender) {
            refuse(conn, "sent a text message before its hello");
            return;
        }
        conn.close(CloseFrame.REFUSE, "framebench takes each frame as one binary message, not text");
    }

    /**
     * Every connection closes through here, open or not (the library's own {@code onClose} hears only of
     * those that completed a handshake): a candidate that closes before its hello is counted here.
     */
    @Override
    protected boolean removeConnection(WebSocket conn) {
        boolean open = super.removeConnection(conn);
        if (candidates.remove(conn) != null) {
            count(conn, "closed the connection before its hello");
        }
        return open;
    }

    /** Called, with {@code remote} true, when the decoder thread reaches a close frame from the peer. */
    @Override
    public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
        if (conn == sender && remote) {
            senderCloseCode = code;
        } else if (candidates.remove(conn) != null) {
            // A handshake the library could not parse (garbage) ends here, before any callback of ours.
            count(conn, "closed before its hello: " + CloseCodes.describe(code, reason));
        }
    }

    /**
     * A close frame from the sender with code 1000 or 1001 ends the stream cleanly; anything else breaks it.
     * The close frame is what counts, not the code the library reports here: its selector thread decides
     * how a connection ended while racing its decoder thread, and reports 1006 (no close frame) when the
     * sender, having got our reply to its close frame, shuts its socket before the decoder thread has
     * finished handling that close frame.
     */
    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        if (conn != sender) {
            return;
        }
        int sent = senderCloseCode;
        boolean clean = sent == CloseFrame.NORMAL || sent == CloseFrame.GOING_AWAY;
        String error = lastError;
        handOff.end(clean ? null : "the sender's connection to " + url() + " ended without a clean close: "
                + CloseCodes.describe(code, reason) + (error == null ? "" : " (" + error + ")"));
    }

    @Override
    public void onError(WebSocket conn, Exception e) {
        if (conn == null && started.getCount() > 0) {
            startFailure = e;
            started.countDown();
        } else {
            lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    /**
     * With a token, makes every accepted connection a candidate as the library creates it, with a hello
     * deadline of its own: the library has no callback for a connection before its handshake, and a stranger
     * that connects and says nothing must still be refused and counted. Selector thread.
     */
    private final class CandidateFactory implements WebSocketServerFactory {
        private final DefaultWebSocketServerFactory delegate = new DefaultWebSocketServerFactory();

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
            return candidate(delegate.createWebSocket(adapter, draft));
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
            return candidate(delegate.createWebSocket(adapter, drafts));
        }

        private WebSocketImpl candidate(WebSocketImpl conn) {
            if (sender == null) {
                candidates.put(conn, Boolean.TRUE);
                long delayNanos = Math.max(0, Deadline.remainingNanos(RunToken.helloDeadline(awaitDeadlineNanos)));
                helloClock.schedule(() -> refuse(conn, "no hello within " + RunToken.HELLO_TIMEOUT.toMillis()
                        + " ms or the receiver's deadline"), delayNanos, TimeUnit.NANOSECONDS);
            }
            return conn;
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
            return delegate.wrapChannel(channel, key);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static boolean await(CountDownLatch latch, long deadlineNanos) {
        try {
            return latch.await(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for the WebSocket server", e);
        }
    }

    /** At least 1: Java-WebSocket and {@link Thread#join(long)} read 0 as "wait forever". */
    private static int millisLeft(long deadlineNanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Deadline.remainingMillis(deadlineNanos)));
    }
}
