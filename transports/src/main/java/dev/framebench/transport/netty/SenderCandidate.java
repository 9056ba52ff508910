package dev.framebench.transport.netty;

import dev.framebench.error.TransportException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One accepted connection of a Netty receiver on its way to being the sender, or to being refused. The
 * transport's handlers drive it: without a token the connection is the sender from the start and only
 * waits to be {@link #ready()}; with one it must first present the run's hello (tcp-netty: its first 24
 * bytes; ws-netty: its first binary message), then {@link #becomeSender()} decides whether it came first.
 * Whatever goes wrong before it is ready goes to {@link #refuse}: with a token that refuses and counts this
 * connection and the receiver keeps waiting; without one it fails the receiver's wait, as it always did.
 *
 * <p>Threading: event loop only, like the handlers that hold it.
 */
final class SenderCandidate {
    private final NettyFrameReceiver.OneSender gate;
    private final Channel channel;
    private final String peer;
    private final RunToken token;
    private ScheduledFuture<?> helloClock;
    private boolean sender;
    private boolean ready;
    private boolean refused;

    SenderCandidate(NettyFrameReceiver.OneSender gate, Channel channel, String peer, RunToken token, boolean sender) {
        this.gate = gate;
        this.channel = channel;
        this.peer = peer;
        this.token = token;
        this.sender = sender;
    }

    /** The run's token this connection must present, or null when the receiver takes it as it comes. */
    RunToken token() {
        return token;
    }

    /** Who this is in messages: {@code "sender on tcp-netty://127.0.0.1:7000"}. */
    String peer() {
        return peer;
    }

    /** True once this connection is the sender: the hand-off is in its pipeline. */
    boolean isSender() {
        return sender;
    }

    /** With a token: refuses the connection if it has not presented its hello by {@code helloDeadlineNanos}. */
    void startHelloClock(long helloDeadlineNanos) {
        long delay = Math.max(0, Deadline.remainingNanos(helloDeadlineNanos));
        helloClock = channel.eventLoop().schedule(() -> {
            if (!sender && !refused) {
                refuse("no hello within " + RunToken.HELLO_TIMEOUT.toMillis() + " ms or the receiver's deadline", null);
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /**
     * The hello passed: true when this connection is now the sender (the first to pass), false when another
     * was first, in which case this one is refused and closed.
     */
    boolean becomeSender() {
        if (refused) {
            return false;
        }
        cancelHelloClock();
        if (!sender && !gate.claim(channel, peer)) {
            refuse("presented the run's token after the sender did", null);
            return false;
        }
        sender = true;
        return true;
    }

    /** Frames may flow: the receiver's awaitSender returns. */
    void ready() {
        if (sender && !ready) {
            ready = true;
            gate.senderReady();
        }
    }

    /**
     * This connection will carry no frames, for {@code reason}. Before it is ready: with a token it is
     * refused, closed and counted while the receiver waits on; without one {@code failure} (or the reason)
     * fails the receiver's wait. Returns false once it is ready: then the caller reports a broken stream.
     */
    boolean refuse(String reason, Throwable failure) {
        if (ready) {
            return false;
        }
        if (refused) {
            return true;
        }
        refused = true;
        cancelHelloClock();
        if (sender) {
            gate.senderFailed(failure != null ? failure : new TransportException(peer + " " + reason));
        } else {
            channel.close();
            gate.refused(channel, reason + "; " + (gate.served() ? RefusedSenders.SERVING_ONE_SENDER : RefusedSenders.WAITING_FOR_THE_SENDER));
        }
        return true;
    }

    private void cancelHelloClock() {
        if (helloClock != null) {
            helloClock.cancel(false);
            helloClock = null;
        }
    }
}
