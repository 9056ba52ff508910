package dev.framebench.transport.websocket.javaws;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.StagingBuffer;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.websocket.WebSocketOptions;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Sends each frame as one binary WebSocket message through Java-WebSocket's {@code WebSocketClient}:
 * one WebSocket frame, or continuation frames of {@code ws.fragment} bytes. The library encodes a message
 * into a heap buffer on the calling thread (copying and masking it byte by byte; with {@code ws.mask=false}
 * {@link SenderDraft} copies it in bulk instead) and queues it for its writer thread; {@link #send} then
 * waits until the writer has handed every byte to the socket, so one frame is in flight at a time and a
 * receiver that falls behind blocks the sender rather than filling the queue.
 *
 * <p>Threading: one sending thread; the library runs a read thread and a writer thread of its own.
 */
final class JavawsSender implements FrameSender {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final FrameClient client;
    private final WireBacklog backlog;
    private final String url;
    private final String awaitingWrite;
    private final int fragmentBytes;
    private final boolean deflate;
    /** Heap copies for the deflate encoder, by payload length: at most two (a whole fragment and the last). */
    private final Map<Integer, byte[]> heapPayloads = new HashMap<>();
    private final StagingBuffer staging = new StagingBuffer();

    private JavawsSender(FrameClient client, WireBacklog backlog, String url, WebSocketOptions options) {
        this.client = client;
        this.backlog = backlog;
        this.url = url;
        this.awaitingWrite = "waiting for the receiver at " + url + " to take a frame";
        this.fragmentBytes = options.fragmentBytes();
        this.deflate = options.deflate();
    }

    /**
     * Connects to the receiver at {@code endpoint} ({@code HOST:PORT}), completes the handshake and, given a
     * {@code token} (null for none), sends the run's hello as the first binary message.
     */
    static JavawsSender connect(String endpoint, WebSocketOptions options, RunToken token) {
        InetSocketAddress address = InetAddresses.parse("endpoint", endpoint);
        String url = "ws://" + InetAddresses.format(address) + WebSocketOptions.PATH;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BadInputException("bad endpoint '" + endpoint + "': " + e.getMessage());
        }
        long deadline = Deadline.after(CONNECT_TIMEOUT);
        WireBacklog backlog = new WireBacklog();
        SenderDraft draft = new SenderDraft(JavawsTransport.extensions(options), options.mask(), backlog);
        FrameClient client = FrameClient.create(uri, address, draft, backlog, deadline);
        try {
            if (!client.connect(deadline)) {
                String why = client.ending();
                throw new TransportException("cannot open a WebSocket to " + url + ": " + (why.isEmpty() ? "timed out" : why)
                        + "; is a receiver listening there (scripts/framebench receive --transport ws-javaws)?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.drop("interrupted while connecting");
            throw new TransportException("interrupted while connecting to " + url, e);
        }
        JavawsSender sender = new JavawsSender(client, backlog, url, options);
        if (options.deflate() && !(((Draft_6455) client.getConnection().getDraft()).getExtension() instanceof PerMessageDeflateExtension)) {
            sender.close();
            throw new BadInputException("receiver at " + url + " did not accept permessage-deflate; give "
                    + WebSocketOptions.DEFLATE + "=true to both ends");
        }
        if (token != null) {
            try {
                sender.send(MemorySegment.ofBuffer(token.helloBuffer()), deadline);
            } catch (RuntimeException e) {
                sender.close();
                throw e;
            }
        }
        return sender;
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        return staging.claim(frameBytes, deadlineNanos);
    }

    @Override
    public void commit() {
        staging.commit(this::send);
    }

    /** Returns once the library has written the whole frame to the socket; {@code frame} may be re-stamped then. */
    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        int frameBytes = Math.toIntExact(frame.byteSize());
        try {
            if (fragmentBytes == 0) {
                client.send(payload(frame, 0, frameBytes));
            } else {
                for (int offset = 0; offset < frameBytes; offset += fragmentBytes) {
                    int length = Math.min(fragmentBytes, frameBytes - offset);
                    client.sendFragmentedFrame(Opcode.BINARY, payload(frame, offset, length), offset + length == frameBytes);
                }
            }
        } catch (WebsocketNotConnectedException e) {
            throw new TransportException("cannot send to " + url + ": " + client.ending(), e);
        }
        backlog.awaitWritten(deadlineNanos, awaitingWrite);
    }

    /**
     * The bytes of one WebSocket frame's payload. Without deflate, a view of the caller's frame: the library
     * reads it while encoding, before {@code send} returns. With deflate, a heap copy: the library's deflate
     * encoder reads the payload through {@code ByteBuffer.array()}, whole, so it needs a heap array of
     * exactly the payload's length.
     */
    private ByteBuffer payload(MemorySegment frame, int offset, int length) {
        if (!deflate) {
            return frame.asSlice(offset, length).asByteBuffer();
        }
        byte[] copy = heapPayloads.computeIfAbsent(length, byte[]::new);
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, offset, copy, 0, length);
        return ByteBuffer.wrap(copy);
    }

    /**
     * Ends the stream with a close frame after the last whole frame, and waits for the receiver's reply. A
     * receiver that does not reply within {@link #CLOSE_TIMEOUT} has the connection dropped instead.
     */
    @Override
    public void close() {
        long deadline = Deadline.after(CLOSE_TIMEOUT);
        try {
            client.close();
            if (!client.awaitClosed(deadline)) {
                client.drop("receiver did not answer the close within " + CLOSE_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.drop("interrupted while closing");
        } finally {
            staging.close();
        }
    }
}
