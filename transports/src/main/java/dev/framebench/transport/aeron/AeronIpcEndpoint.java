package dev.framebench.transport.aeron;

import dev.framebench.error.BadInputException;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.logbuffer.FrameDescriptor;

/**
 * What an aeron-ipc sender needs, as one string: {@code AERON_DIR|STREAM_ID|CHANNEL}, e.g.
 * {@code /dev/shm/framebench-aeron-4242-1/driver|1001|aeron:ipc?mtu=65504|term-length=32m|session-id=1}.
 * The channel goes last because Aeron channels use {@code |} themselves.
 *
 * <p>Without a token the session id is fixed: the driver is private to one receiver, whose subscription
 * takes only that session, and a second exclusive publication with the same session id is refused by the
 * driver. That also lets whoever publishes first take the session, so with a token the channel names no
 * session: the driver gives each publication its own, and the receiver takes the first image whose first
 * message is the run's hello ({@link AeronIpcReceiver}).
 */
record AeronIpcEndpoint(String aeronDirectory, int streamId, String channel) {
    static final int STREAM_ID = 1001;
    /** Inside the driver's reserved range (-1..1000 by default), so no session the driver picks can clash. */
    static final int SESSION_ID = 1;
    /**
     * Aeron's largest fragment ({@code MAX_UDP_PAYLOAD_LENGTH}, a multiple of 32): a 1080p frame is 48
     * fragments instead of 2,261 at the default 1,408, so the subscriber pays far fewer callbacks.
     */
    static final int MAX_MTU_BYTES = 65_504;

    /**
     * The endpoint of a receiver whose driver lives in {@code aeronDirectory}, with terms of {@code termLength};
     * with {@code fixedSession} (no token) its channel names {@link #SESSION_ID}.
     */
    static AeronIpcEndpoint of(String aeronDirectory, int termLength, boolean fixedSession) {
        ChannelUriStringBuilder channel = new ChannelUriStringBuilder().media(CommonContext.IPC_MEDIA).termLength(termLength)
                .mtu(mtuBytes(termLength));
        if (fixedSession) {
            channel.sessionId(SESSION_ID);
        }
        return new AeronIpcEndpoint(aeronDirectory, STREAM_ID, channel.build());
    }

    /** The fragment size: the largest Aeron allows, but no larger than a message of the term (Aeron's rule). */
    static int mtuBytes(int termLength) {
        return Math.min(MAX_MTU_BYTES, FrameDescriptor.computeMaxMessageLength(termLength));
    }

    /**
     * The receiver's side: without a token only the framebench session, so a stray publication on the
     * stream is never matched; with one every session, each checked for the hello.
     */
    static String subscriptionChannel(boolean fixedSession) {
        ChannelUriStringBuilder channel = new ChannelUriStringBuilder().media(CommonContext.IPC_MEDIA);
        if (fixedSession) {
            channel.sessionId(SESSION_ID);
        }
        return channel.build();
    }

    static AeronIpcEndpoint parse(String text) {
        String[] parts = text.split("\\|", 3);
        if (parts.length != 3 || parts[0].isBlank() || !parts[2].startsWith(CommonContext.IPC_CHANNEL)) {
            throw bad(text);
        }
        try {
            return new AeronIpcEndpoint(parts[0], Integer.parseInt(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            throw bad(text);
        }
    }

    private static BadInputException bad(String text) {
        return new BadInputException("bad aeron-ipc endpoint '" + text + "'; write AERON_DIR|STREAM_ID|aeron:ipc?..., as the receiver prints it");
    }

    @Override
    public String toString() {
        return aeronDirectory + "|" + streamId + "|" + channel;
    }
}
