package dev.framebench.transport.websocket.javaws;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.socket.ForeignConnections;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.socket.Sockets;
import dev.framebench.transport.websocket.WebSocketOptions;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Java-WebSocket's server, serving one sender on {@link WebSocketOptions#PATH}: it accepts the first
 * handshake there and refuses every later one (HTTP 404, the library's only refusal), without touching
 * the connection it serves; once that sender is open, any further connection is closed as it is accepted,
 * before a byte of it is read. Both refusals are counted in {@link ForeignConnections}. It passes that sender's messages, and how its connection ended, to a
 * {@link MessageHandOff}. With {@code ws.deflate=true} it also refuses a sender that does not offer
 * permessage-deflate, so both ends run with it or the run fails.
 *
 * <p>Threading: Java-WebSocket runs a selector thread (accept, read, write, close) and here one decoder
 * thread (handshake, open, messages). Its selector thread is started here rather than by
 * {@code start()}, so that {@link #shutDown} can wait for it to end.
 */
final class FrameServer extends WebSocketServer {
    /** One connection at a time is served; more decoder threads would only idle. */
    static final int DECODER_THREADS = 1;
    private static final int NO_CLOSE_FRAME = -1;

    private final MessageHandOff handOff;
    private final boolean deflateRequired;
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

    private FrameServer(InetSocketAddress listen, WebSocketOptions options, MessageHandOff handOff) {
        super(listen, DECODER_THREADS, List.of(new Draft_6455(JavawsTransport.extensions(options), WebSocketOptions.MAX_MESSAGE_BYTES)));
        this.handOff = handOff;
        this.deflateRequired = options.deflate();
        this.selectorThread = new Thread(this);
    }

    /** Binds {@code listen} and starts serving; fails with a one-line reason if it cannot bind. */
    static FrameServer start(InetSocketAddress listen, WebSocketOptions options, MessageHandOff handOff, long deadlineNanos) {
        FrameServer server = new FrameServer(listen, options, handOff);
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

    /** Waits until the sender's handshake has completed. */
    void awaitSender(long deadlineNanos) {
        if (!await(senderOpened, deadlineNanos)) {
            String refusal = lastRefusal;
            throw new TransportTimeoutException("timed out waiting for a sender to connect to " + url()
                    + (refusal == null ? "" : "; refused a handshake: " + refusal));
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
            if (senderClaimed) {
                foreign.refused(url(), conn.getRemoteSocketAddress());
            }
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, refusal);
        }
        senderClaimed = true;
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
        deflating = ((Draft_6455) conn.getDraft()).getExtension() instanceof PerMessageDeflateExtension;
        sender = conn;
        senderOpened.countDown();
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        handOff.put(message);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        conn.close(CloseFrame.REFUSE, "framebench takes each frame as one binary message, not text");
    }

    /** Called, with {@code remote} true, when the decoder thread reaches a close frame from the peer. */
    @Override
    public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
        if (conn == sender && remote) {
            senderCloseCode = code;
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
