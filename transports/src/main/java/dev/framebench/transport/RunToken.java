package dev.framebench.transport;

import dev.framebench.error.BadInputException;
import dev.framebench.frame.SenderHello;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The run's token, option {@value #KEY}: 128 bits that only the run's own sender and receiver know, given
 * to both as 32 lowercase hex digits. A sender given one presents its {@link SenderHello} before its first
 * frame; a receiver given one takes only a sender that presents it and refuses every other connection or
 * ring claim (docs/WIRE.md, "The sender hello"). Without a token a receiver takes the first sender, as
 * peers written before the token expect.
 *
 * <p>The token is a secret for the length of a run: {@link #toString()} never shows it, and no error
 * message quotes it. Threading: immutable; any thread.
 */
public final class RunToken {
    /** The option key, the same for every transport ({@link TransportOptions#UNIVERSAL}). */
    public static final String KEY = "token";
    public static final int HEX_DIGITS = 2 * SenderHello.TOKEN_BYTES;
    /**
     * How long a receiver waits for a connection's (or a ring claim's) hello before refusing it, capped by
     * the deadline of {@code awaitSender}. A real sender writes its 24 bytes right after connecting, before
     * it renders a frame, so even a sender JVM on a loaded 2-core machine needs milliseconds; 5 s leaves two
     * orders of magnitude for a stall, and is the most a stranger that connects and says nothing can hold
     * back a ring's real sender (a socket receiver checks hellos in parallel and holds back nobody).
     */
    public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(5);

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private final byte[] hello;

    private RunToken(byte[] bytes) {
        this.bytes = bytes;
        this.hello = new byte[SenderHello.LENGTH];
        SenderHello.write(MemorySegment.ofArray(hello), bytes);
    }

    /**
     * Parses the option's value: exactly {@value #HEX_DIGITS} lowercase hex digits. The error names the key
     * and the value's length, not the value, which may be a real token mistyped.
     */
    public static RunToken parse(String hex) {
        if (hex.length() != HEX_DIGITS || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new BadInputException("bad value for option " + KEY + ": " + (hex.length() == HEX_DIGITS
                    ? "its " + HEX_DIGITS + " characters are not all lowercase hex digits"
                    : "it has " + hex.length() + " characters") + "; give exactly " + HEX_DIGITS
                    + " lowercase hex digits (128 bits), e.g. from 'openssl rand -hex 16', the same to sender and receiver");
        }
        return new RunToken(HEX.parseHex(hex));
    }

    /** A fresh token from a {@link SecureRandom}: what a harness gives both ends of one run. */
    public static RunToken random() {
        byte[] bytes = new byte[SenderHello.TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return new RunToken(bytes);
    }

    /** The 32 hex digits, for the option line of the other end. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** The {@link SenderHello#LENGTH} bytes a sender presents, as a new read-only buffer positioned at 0. */
    public ByteBuffer helloBuffer() {
        return ByteBuffer.wrap(hello).asReadOnlyBuffer();
    }

    /** Writes the hello into the first {@link SenderHello#LENGTH} bytes of {@code target} (a ring's control area). */
    public void writeHello(MemorySegment target) {
        MemorySegment.copy(hello, 0, target, ValueLayout.JAVA_BYTE, 0, SenderHello.LENGTH);
    }

    /** {@link SenderHello#check} of {@code presented} against this token: {@link SenderHello#HELLO_OK} or why not. */
    public int check(MemorySegment presented) {
        return SenderHello.check(presented, bytes);
    }

    /** {@link #check} on a buffer's first {@link SenderHello#LENGTH} bytes from its position, which stays. */
    public int check(ByteBuffer presented) {
        return check(MemorySegment.ofBuffer(presented));
    }

    /**
     * The deadline for one hello: {@link #HELLO_TIMEOUT} from now, or {@code awaitDeadlineNanos} (the deadline
     * of the {@code awaitSender} call in progress) if that is sooner, since no sender is taken after it. A
     * deadline already past means no call is in progress: then the timeout alone applies, so that a sender
     * arriving between two calls is not refused for the last call's deadline.
     */
    public static long helloDeadline(long awaitDeadlineNanos) {
        long own = Deadline.after(HELLO_TIMEOUT);
        return Deadline.expired(awaitDeadlineNanos) || own - awaitDeadlineNanos < 0 ? own : awaitDeadlineNanos;
    }

    /** Never the token: it is a secret for the run. */
    @Override
    public String toString() {
        return "RunToken[" + HEX_DIGITS + " hex digits, not shown]";
    }
}
