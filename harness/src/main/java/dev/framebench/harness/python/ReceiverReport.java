package dev.framebench.harness.python;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Descriptor of the Python receiver's report, the binary records it writes to its stdout for the JVM that
 * started it (docs/WIRE.md section 3, "The Python receiver"). Every integer is little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 tag, 4 ASCII bytes ("RCPT", ...)              |  0
 *  +---------------------------------------------------------------+
 *  |                     bodyBytes (u32)                           |  4
 *  +---------------------------------------------------------------+
 *  |                     body, bodyBytes bytes                     |  8
 *  +                              ...                              +
 *
 *  LSTN  u16 port, then UTF-8 "key=value" lines joined by '\n' (python, websockets, crc32c, pid, ...)
 *  TAKN  UTF-8 address of the sender taken, "127.0.0.1:PORT"
 *  RFSD  u32 connections refused so far
 *  RCPT  i64 receiveNanos (the receiver's CLOCK_MONOTONIC when the message arrived), the frame's 64-byte header
 *  DONE  u64 frames received, equal to the receipts before it: the sender closed with status 1000
 *  FAIL  u8 kind (1 bad input, 2 broken stream, 3 frame verification), UTF-8 one line
 * </pre>
 *
 * A receipt is 80 bytes, one write per frame. Threading: stateless; any thread.
 */
public final class ReceiverReport {
    public static final int PREFIX_BYTES = 8;
    public static final int TAG_LISTENING = tag("LSTN");
    public static final int TAG_TAKEN = tag("TAKN");
    public static final int TAG_REFUSED = tag("RFSD");
    public static final int TAG_RECEIPT = tag("RCPT");
    public static final int TAG_DONE = tag("DONE");
    public static final int TAG_FAIL = tag("FAIL");

    /** RCPT: the receive time, then the header as the Python receiver saw it. */
    public static final int RECEIPT_NANOS_OFFSET = 0;
    public static final int RECEIPT_HEADER_OFFSET = 8;
    public static final int RECEIPT_BODY_BYTES = RECEIPT_HEADER_OFFSET + FrameHeader.LENGTH;

    /** FAIL kinds. */
    public static final int FAIL_BAD_INPUT = 1;
    public static final int FAIL_STREAM = 2;
    public static final int FAIL_VERIFICATION = 3;

    /** No record is larger than a FAIL line or the LSTN description: a larger length is a corrupted report. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private ReceiverReport() {
    }

    /** One record: its tag and its body, a little-endian buffer positioned at 0. */
    public record Record(int tag, ByteBuffer body) {
        public String tagName() {
            return tagName(tag);
        }

        /** The body from {@code offset} on as UTF-8. */
        public String text(int offset) {
            return new String(body.array(), offset, body.limit() - offset, StandardCharsets.UTF_8);
        }

        static String tagName(int tag) {
            byte[] ascii = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(tag).array();
            return new String(ascii, StandardCharsets.US_ASCII);
        }
    }

    /**
     * Reads the next record, blocking; null at end of file between two records (the receiver exited). A record
     * cut short or a length past {@link #MAX_BODY_BYTES} is a corrupted report.
     */
    public static Record read(InputStream in) throws IOException {
        byte[] prefix = new byte[PREFIX_BYTES];
        int got = in.readNBytes(prefix, 0, PREFIX_BYTES);
        if (got == 0) {
            return null;
        }
        if (got < PREFIX_BYTES) {
            throw new EOFException("the python receiver's report ended inside a record prefix (" + got + " of " + PREFIX_BYTES + " bytes)");
        }
        ByteBuffer p = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        int tag = p.getInt(0);
        int bodyBytes = p.getInt(4);
        if (bodyBytes < 0 || bodyBytes > MAX_BODY_BYTES) {
            throw new TransportException("the python receiver's report is corrupted: record " + Record.tagName(tag) + " of bodyBytes="
                    + Integer.toUnsignedString(bodyBytes) + ", at most " + MAX_BODY_BYTES);
        }
        byte[] body = in.readNBytes(bodyBytes);
        if (body.length < bodyBytes) {
            throw new EOFException("the python receiver's report ended inside record " + Record.tagName(tag) + " (" + body.length + " of "
                    + bodyBytes + " bytes)");
        }
        return new Record(tag, ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static int tag(String ascii) {
        return ByteBuffer.wrap(ascii.getBytes(StandardCharsets.US_ASCII)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
