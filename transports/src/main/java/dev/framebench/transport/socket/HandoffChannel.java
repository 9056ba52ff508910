package dev.framebench.transport.socket;

import dev.framebench.error.TransportException;
import dev.framebench.transport.Deadline;
import dev.framebench.frame.SenderHello;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The conversation of the storage hand-offs (file-handoff, s3-handoff) on their loopback TCP connection:
 * the sender announces each frame it has stored (a file, an object) by name, the receiver acknowledges each
 * one it has consumed (read and deleted), one byte per frame.
 *
 * <pre>
 *  sender -> receiver, one announcement per stored frame:
 *  +-----------------+----------------------------------------+
 *  | nameLength  u16 |  name: nameLength bytes of UTF-8       |
 *  | little-endian   |  a plain name: a file in the folder,   |
 *  |                 |  an object under the receiver's prefix |
 *  +-----------------+----------------------------------------+
 *  receiver -> sender, one acknowledgement per consumed frame:
 *  +------+
 *  | 0x01 |
 *  +------+
 * </pre>
 *
 * A name is 1 to {@value #MAX_NAME_BYTES} bytes (Linux NAME_MAX) of valid UTF-8 with no {@code '/'} and
 * no NUL, and is neither {@code .} nor {@code ..}: it can only name an entry of the receiver's folder. The
 * sender ends the stream cleanly by shutting its side down after a whole announcement.
 *
 * <p>A sender given a token presents its 24-byte hello ({@link SenderHello}) before its first
 * announcement; a receiver given one has it checked and taken off by its gate, and a receiver given none
 * skips it here: its first two bytes, {@code 46 42} ("FB"), would be a nameLength of 16,966, which no
 * announcement can have, so the two never mix.
 *
 * <p>Threading: one thread; the sender and the receiver each own one instance.
 */
public final class HandoffChannel implements AutoCloseable {
    static final int NAME_LENGTH_BYTES = 2;
    public static final int MAX_NAME_BYTES = 255;
    static final byte ACK = 0x01;

    private final ChannelIo io;
    private final ByteBuffer nameLength = ByteBuffer.allocateDirect(NAME_LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer name = ByteBuffer.allocateDirect(MAX_NAME_BYTES);
    private final ByteBuffer announcement = ByteBuffer.allocateDirect(NAME_LENGTH_BYTES + MAX_NAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer ack = ByteBuffer.allocateDirect(1);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
    /** Sender side: frames stored and announced, not yet acknowledged as consumed. */
    private int outstanding;
    /** True until the first announcement is read, on a receiver given no token: its sender may start with a hello. */
    private boolean mayStartWithHello;

    /** @param mayStartWithHello on a receiver given no token: skip a hello before the first announcement */
    public HandoffChannel(ChannelIo io, boolean mayStartWithHello) {
        this.io = io;
        this.mayStartWithHello = mayStartWithHello;
    }

    /**
     * The receiver's end of the conversation on the connection its gate accepted. Announcements and
     * acknowledgements are a few bytes each: Nagle would hold every one back, so it is switched off.
     *
     * @param tokenless a receiver given no token: skip a hello its sender presents
     */
    public static HandoffChannel accepted(SocketChannel accepted, String endpoint, boolean tokenless) {
        try {
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            Sockets.closeQuietly(accepted);
            throw new TransportException("cannot set up the sender's connection on " + endpoint + ": " + e.getMessage(), e);
        }
        return new HandoffChannel(ChannelIo.of(accepted, IoMode.BLOCKING, "sender on " + endpoint), tokenless);
    }

    /**
     * Sender side: waits until fewer than {@code inflight} stored frames are unacknowledged. Names are a few
     * bytes, so without this credit the socket alone would let thousands of multi-megabyte files or objects
     * pile up. Fails when the receiver hangs up instead.
     */
    public void awaitRoom(int inflight, long deadlineNanos, String receiver) {
        while (outstanding >= inflight) {
            if (!awaitAcknowledgement(deadlineNanos)) {
                throw new TransportException(receiver + " closed the connection with " + outstanding + " stored frames outstanding");
            }
            outstanding--;
        }
    }

    /**
     * Sender side: ends the stream after the last announcement, then collects the acknowledgements still
     * owed before closing (closing a TCP socket with unread bytes sends a reset, which could cut off
     * announcements the receiver has not read yet). Gives up after {@code timeout} or when the receiver hangs up.
     */
    public void finish(Duration timeout) {
        try {
            endAnnouncements();
            long deadlineNanos = Deadline.after(timeout);
            while (outstanding > 0 && awaitAcknowledgement(deadlineNanos)) {
                outstanding--;
            }
        } catch (Exception ignored) {
            // The receiver is gone or stalled: nothing is left to hand over, only to close.
        }
        close();
    }

    /** Sends one announcement in a single write, so the receiver never waits on half of one. */
    public void announce(String fileName, long deadlineNanos) {
        byte[] bytes = fileName.getBytes(StandardCharsets.UTF_8);
        announcement.clear();
        announcement.putShort((short) bytes.length).put(bytes).flip();
        io.writeFully(announcement, deadlineNanos);
        outstanding++;
    }

    /**
     * The next announced file name, checked to be a plain name; {@code null} when the sender closed after
     * a whole announcement (the clean end of stream).
     */
    public String nextAnnouncement(long deadlineNanos) {
        nameLength.clear();
        if (!io.readFully(nameLength, deadlineNanos, "an announcement's name length")) {
            return null;
        }
        if (mayStartWithHello) {
            mayStartWithHello = false;
            if (skippedHello(deadlineNanos)) {
                return nextAnnouncement(deadlineNanos);
            }
        }
        int length = Short.toUnsignedInt(nameLength.getShort(0));
        if (length == 0 || length > MAX_NAME_BYTES) {
            throw new TransportException("bad announcement from the sender: nameLength=" + length
                    + "; a frame file name is 1 to " + MAX_NAME_BYTES + " bytes of UTF-8");
        }
        name.clear().limit(length);
        if (!io.readFully(name, deadlineNanos, "an announced file name")) {
            throw new TransportException("the sender closed the connection between an announcement's length and its name");
        }
        name.flip();
        String fileName;
        try {
            fileName = utf8.decode(name).toString();
        } catch (CharacterCodingException e) {
            throw new TransportException("bad announcement from the sender: the " + length + "-byte file name is not valid UTF-8");
        }
        return requirePlainName(fileName);
    }

    /** True when the two bytes just read begin a hello, whose other 22 bytes are then read and dropped. */
    private boolean skippedHello(long deadlineNanos) {
        int firstTwo = Short.toUnsignedInt(nameLength.getShort(0));
        if (firstTwo != (SenderHello.MAGIC & 0xFFFF)) {
            return false;
        }
        ByteBuffer rest = ByteBuffer.allocate(SenderHello.LENGTH - NAME_LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (!io.readFully(rest, deadlineNanos, "a hello")) {
            throw new TransportException("the sender closed the connection after 2 of the " + SenderHello.LENGTH + " bytes of its hello");
        }
        int magic = firstTwo | (Short.toUnsignedInt(rest.getShort(0)) << 16);
        if (!SenderHello.isHelloMagic(magic)) {
            throw new TransportException(String.format("bad announcement from the sender: it starts with 0x%08x, neither a name length nor a hello", magic));
        }
        return true;
    }

    /** Ends the announcements (a FIN after the last whole one); acknowledgements can still be read. */
    private void endAnnouncements() throws IOException {
        io.channel().shutdownOutput();
    }

    /** Tells the sender one more file is gone from the folder, which is one more file it may write. */
    public void acknowledge(long deadlineNanos) {
        ack.clear().put(0, ACK);
        io.writeFully(ack, deadlineNanos);
    }

    /**
     * Waits for one acknowledgement; false when the receiver closed the connection instead of sending it.
     */
    public boolean awaitAcknowledgement(long deadlineNanos) {
        ack.clear();
        if (!io.readFully(ack, deadlineNanos, "an acknowledgement")) {
            return false;
        }
        byte value = ack.get(0);
        if (value != ACK) {
            throw new TransportException(String.format("bad acknowledgement from the receiver: 0x%02x; expected 0x%02x", value, ACK));
        }
        return true;
    }

    /** Returns {@code fileName} if it can only name an entry of the folder; otherwise fails with one line. */
    public static String requirePlainName(String fileName) {
        if (fileName.isEmpty() || fileName.equals(".") || fileName.equals("..")
                || fileName.indexOf('/') >= 0 || fileName.indexOf('\0') >= 0) {
            throw new TransportException("bad announcement from the sender: '" + printable(fileName)
                    + "' is not a plain file name; names are relative to the receiver's folder, without '/', NUL, '.' or '..'");
        }
        return fileName;
    }

    /** The name with control characters shown as '?', so an error stays one line. */
    public static String printable(String fileName) {
        StringBuilder text = new StringBuilder(fileName.length());
        fileName.codePoints().forEach(c -> text.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.toString();
    }

    @Override
    public void close() {
        io.close();
    }
}
