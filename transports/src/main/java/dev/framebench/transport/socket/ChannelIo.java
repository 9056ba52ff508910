package dev.framebench.transport.socket;

import dev.framebench.transport.Deadline;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.transport.RunToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Whole reads and writes on a connected stream socket (TCP or Unix domain), each bounded by a deadline.
 * Single thread.
 */
public abstract sealed class ChannelIo implements AutoCloseable {
    /** Added to a broken connection's message once a hello went out: a refused hello breaks it this way. */
    private static final String REFUSED_HELLO_HINT = "; if the receiver was given a token, it closes a connection whose hello"
            + " does not carry it: give both ends the same " + RunToken.KEY + "=";

    protected final SocketChannel channel;
    protected final String peer;
    private boolean helloPresented;

    private ChannelIo(SocketChannel channel, String peer) {
        this.channel = channel;
        this.peer = peer;
    }

    public static ChannelIo of(SocketChannel channel, IoMode mode, String peer) {
        try {
            return switch (mode) {
                case SELECTOR -> new SelectorIo(channel, peer);
                case BLOCKING -> new BlockingIo(channel, peer);
            };
        } catch (IOException e) {
            throw new TransportException("cannot set up " + mode.modeName() + " I/O on " + peer + ": " + e.getMessage(), e);
        }
    }

    public SocketChannel channel() {
        return channel;
    }

    /**
     * Fills {@code buffer}. Returns false if the peer closed before the first byte (a clean end of stream
     * at a frame boundary); throws if it closed part-way.
     */
    public final boolean readFully(ByteBuffer buffer, long deadlineNanos, String what) {
        int wanted = buffer.remaining();
        try {
            while (buffer.hasRemaining()) {
                int n = read(buffer, deadlineNanos);
                if (n < 0) {
                    int got = wanted - buffer.remaining();
                    if (got == 0) {
                        return false;
                    }
                    throw new TransportException(peer + " closed the connection mid-frame: got " + got + " of " + wanted + " bytes of " + what);
                }
            }
            return true;
        } catch (IOException e) {
            throw failure("reading " + what, e, deadlineNanos);
        }
    }

    /**
     * Writes the run's hello (docs/WIRE.md), the first bytes of the connection, when {@code token} is not
     * null; does nothing without one, so a sender given no token starts with its first frame as before.
     */
    public final void presentHello(RunToken token, long deadlineNanos) {
        if (token != null) {
            writeFully(token.helloBuffer(), deadlineNanos);
            helloPresented = true;
        }
    }

    public final void writeFully(ByteBuffer buffer, long deadlineNanos) {
        try {
            while (buffer.hasRemaining()) {
                write(buffer, deadlineNanos);
            }
        } catch (IOException e) {
            throw failure("writing a frame", e, deadlineNanos);
        }
    }

    protected abstract int read(ByteBuffer buffer, long deadlineNanos) throws IOException;

    protected abstract void write(ByteBuffer buffer, long deadlineNanos) throws IOException;

    protected abstract boolean timedOut(long deadlineNanos);

    private TransportException failure(String doing, IOException e, long deadlineNanos) {
        if (timedOut(deadlineNanos)) {
            return new TransportTimeoutException("timed out " + doing + " (" + peer + " stalled?)");
        }
        String hint = helloPresented ? REFUSED_HELLO_HINT : "";
        if (e instanceof ClosedChannelException) {
            return new TransportException("connection to " + peer + " is closed while " + doing + hint, e);
        }
        return new TransportException(peer + " broke the connection while " + doing + ": " + e.getMessage() + hint, e);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing useful to do at close: the connection is gone either way.
        }
    }

    private static final class SelectorIo extends ChannelIo {
        private final Selector selector;
        private final SelectionKey key;

        SelectorIo(SocketChannel channel, String peer) throws IOException {
            super(channel, peer);
            channel.configureBlocking(false);
            selector = Selector.open();
            key = channel.register(selector, 0);
        }

        @Override
        protected int read(ByteBuffer buffer, long deadlineNanos) throws IOException {
            int n = channel.read(buffer);
            if (n == 0) {
                await(SelectionKey.OP_READ, deadlineNanos);
            }
            return n;
        }

        @Override
        protected void write(ByteBuffer buffer, long deadlineNanos) throws IOException {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE, deadlineNanos);
            }
        }

        private void await(int op, long deadlineNanos) throws IOException {
            key.interestOps(op);
            long millis = Deadline.remainingMillis(deadlineNanos);
            if (millis == 0) {
                // Reported by failure(), which names what was being read or written.
                throw new java.net.SocketTimeoutException();
            }
            selector.select(millis);
            selector.selectedKeys().clear();
        }

        @Override
        protected boolean timedOut(long deadlineNanos) {
            return Deadline.expired(deadlineNanos);
        }

        @Override
        public void close() {
            super.close();
            try {
                selector.close();
            } catch (IOException ignored) {
                // The selector holds no resource worth reporting once the channel is closed.
            }
        }
    }

    private static final class BlockingIo extends ChannelIo {
        private final DeadlineWatchdog.Armed watchdog;

        BlockingIo(SocketChannel channel, String peer) throws IOException {
            super(channel, peer);
            channel.configureBlocking(true);
            watchdog = DeadlineWatchdog.watch(channel);
        }

        @Override
        protected int read(ByteBuffer buffer, long deadlineNanos) throws IOException {
            watchdog.arm(deadlineNanos);
            try {
                int n = channel.read(buffer);
                if (n < 0 && watchdog.fired()) {
                    // junixsocket reports a close from another thread as end of stream where the JDK throws;
                    // without this, a deadline passing at a frame boundary would read as a clean end.
                    throw new AsynchronousCloseException();
                }
                return n;
            } finally {
                watchdog.disarm();
            }
        }

        @Override
        protected void write(ByteBuffer buffer, long deadlineNanos) throws IOException {
            watchdog.arm(deadlineNanos);
            try {
                channel.write(buffer);
            } finally {
                watchdog.disarm();
            }
        }

        @Override
        protected boolean timedOut(long deadlineNanos) {
            return watchdog.fired();
        }

        @Override
        public void close() {
            watchdog.unwatch();
            super.close();
        }
    }
}
