package dev.framebench.frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.security.MessageDigest;

/**
 * Descriptor of the 24-byte sender hello, version 1 (docs/WIRE.md, "The sender hello"): what a sender
 * given the run's token presents before its first frame, so that its receiver can tell it from a stranger
 * that reached the same endpoint first. Every integer is little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic 'F' 'B' 'H' '1'                     |  0
 *  +-------------------------------+-------------------------------+
 *  |          version = 1          |       tokenLength = 16        |  4
 *  +-------------------------------+-------------------------------+
 *  |                                                               |  8
 *  +                                                               +
 *  |                 token, 16 bytes: the bytes the                | 12
 *  +                 run's 32 hex digits spell,                    +
 *  |                 first pair first                              | 16
 *  +                                                               +
 *  |                                                               | 20
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The magic differs from the frame header's ({@code FBF1}) in its third byte only, so a receiver that
 * expects a hello and finds a frame header can say that the sender presented none.
 *
 * <p>Only static offsets and functions: a hello is written and checked where it lies (a socket buffer, a
 * ring's control area), never copied into an object. Threading: stateless; any thread.
 */
public final class SenderHello {
    public static final int LENGTH = 24;
    /** ASCII "FBH1" read as a little-endian int. */
    public static final int MAGIC = 0x31484246;
    public static final int VERSION = 1;
    /** 128 bits: a stranger guessing it has no chance worth counting within a run. */
    public static final int TOKEN_BYTES = 16;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TOKEN_LENGTH_OFFSET = 6;
    public static final int TOKEN_OFFSET = 8;

    /** {@link #check}: the hello of the expected token. */
    public static final int HELLO_OK = 0;
    /** {@link #check}: no hello magic: a stranger, or a sender given no token (then its first frame header is here). */
    public static final int NOT_A_HELLO = -1;
    /** {@link #check}: a hello of a version this code does not speak. */
    public static final int UNKNOWN_VERSION = -2;
    /** {@link #check}: tokenLength is not {@link #TOKEN_BYTES}. */
    public static final int BAD_TOKEN_LENGTH = -3;
    /** {@link #check}: a well-formed hello of another token: a sender of another run, or a guess. */
    public static final int WRONG_TOKEN = -4;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SenderHello() {
    }

    /** Writes the hello of {@code token} ({@link #TOKEN_BYTES} bytes) into the first {@link #LENGTH} bytes of {@code hello}. */
    public static void write(MemorySegment hello, byte[] token) {
        requireToken(token);
        hello.set(I32, MAGIC_OFFSET, MAGIC);
        hello.set(U16, VERSION_OFFSET, (short) VERSION);
        hello.set(U16, TOKEN_LENGTH_OFFSET, (short) TOKEN_BYTES);
        MemorySegment.copy(token, 0, hello, ValueLayout.JAVA_BYTE, TOKEN_OFFSET, TOKEN_BYTES);
    }

    /**
     * Checks the first {@link #LENGTH} bytes of {@code hello} against {@code expectedToken}, in this order:
     * magic, version, tokenLength, token; returns {@link #HELLO_OK} or the first failure. The token is
     * compared in time independent of where it differs, so the answer's timing tells a guesser nothing.
     */
    public static int check(MemorySegment hello, byte[] expectedToken) {
        requireToken(expectedToken);
        if (hello.byteSize() < LENGTH || hello.get(I32, MAGIC_OFFSET) != MAGIC) {
            return NOT_A_HELLO;
        }
        if (Short.toUnsignedInt(hello.get(U16, VERSION_OFFSET)) != VERSION) {
            return UNKNOWN_VERSION;
        }
        if (Short.toUnsignedInt(hello.get(U16, TOKEN_LENGTH_OFFSET)) != TOKEN_BYTES) {
            return BAD_TOKEN_LENGTH;
        }
        byte[] presented = hello.asSlice(TOKEN_OFFSET, TOKEN_BYTES).toArray(ValueLayout.JAVA_BYTE);
        return MessageDigest.isEqual(presented, expectedToken) ? HELLO_OK : WRONG_TOKEN;
    }

    /** True when {@code magic} (the first four bytes, little-endian) is a hello's: what a receiver without a token skips. */
    public static boolean isHelloMagic(int magic) {
        return magic == MAGIC;
    }

    /**
     * Why {@code hello} failed {@link #check} with {@code result}, in one phrase naming the values (never the
     * token's bytes): {@code "no hello: magic=0x31464246 is a frame header's, the sender presented no token"}.
     */
    public static String refusal(MemorySegment hello, int result) {
        return switch (result) {
            case NOT_A_HELLO -> {
                if (hello.byteSize() < 4) {
                    yield "no hello: " + hello.byteSize() + " of " + LENGTH + " bytes";
                }
                int magic = hello.get(I32, MAGIC_OFFSET);
                yield "no hello: magic=" + Framing.hex(magic) + (magic == FrameHeader.MAGIC
                        ? " is a frame header's, the sender presented no token" : ", expected " + Framing.hex(MAGIC) + " (\"FBH1\")");
            }
            case UNKNOWN_VERSION -> "hello version=" + Short.toUnsignedInt(hello.get(U16, VERSION_OFFSET)) + ", expected " + VERSION;
            case BAD_TOKEN_LENGTH -> "hello tokenLength=" + Short.toUnsignedInt(hello.get(U16, TOKEN_LENGTH_OFFSET)) + ", expected " + TOKEN_BYTES;
            case WRONG_TOKEN -> "hello with another token (a sender of another run, or a guess)";
            default -> throw new IllegalArgumentException("not a failed hello check: " + result);
        };
    }

    private static void requireToken(byte[] token) {
        if (token.length != TOKEN_BYTES) {
            throw new IllegalArgumentException("a token is " + TOKEN_BYTES + " bytes, not " + token.length);
        }
    }
}
