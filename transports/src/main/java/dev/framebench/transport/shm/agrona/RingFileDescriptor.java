package dev.framebench.transport.shm.agrona;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of an shm-agrona ring file: Agrona's {@code OneToOneRingBuffer}, or for {@code shm-agrona-mpsc}
 * its {@code ManyToOneRingBuffer} (the same records and trailer; producers claim by CAS on the tail), followed
 * by framebench's control area, which Agrona knows nothing of. All integers little-endian.
 *
 * <pre>
 *   0                                    capacity          capacity + 768          + 5120
 *   +------------------------------------+-----------------+-----------------------+
 *   | records (capacity, a power of two) | Agrona trailer  | framebench control    |
 *   +------------------------------------+-----------------+-----------------------+
 * </pre>
 *
 * Control area, one 128-byte line per writer (two cache lines, as Agrona pads its trailer, so that the
 * adjacent-line prefetcher does not make the two processes share a line):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 magic 'FBAG' (0x47414246)                     |  0   written by the receiver,
 *  +---------------------------------------------------------------+      magic last (release)
 *  |                 layout version (2)                            |  4
 *  +---------------------------------------------------------------+
 *  |                 ring capacity in bytes                        |  8
 *  +---------------------------------------------------------------+
 *  |                 receiver pid (64 bits)                        | 16
 *  +---------------------------------------------------------------+
 *  |                 producers: 0 = one (OneToOne), 2 = many       | 24
 *  +---------------------------------------------------------------+
 *  |                 hello required: 1 = the receiver has a token  | 28
 *  +---------------------------------------------------------------+
 *  |                 ... to 128                                    |
 *  +---------------------------------------------------------------+
 *  |                 sender pid (64 bits), 0 = no sender;          |128   the sender attaches by CAS 0 -> pid
 *  |                 a CAS 0 -> pid attaches                       |
 *  +---------------------------------------------------------------+
 *  |                 sender closed (1 = clean end of stream)       |136   written by the sender (release)
 *  +---------------------------------------------------------------+
 *  |                 senders attached (many producers)             |144   each sender adds 1 (atomic)
 *  +---------------------------------------------------------------+
 *  |                 senders closed (many producers)               |148   each sender adds 1 after its last commit
 *  +---------------------------------------------------------------+
 *  |                 ... to 256                                    |
 *  +---------------------------------------------------------------+
 *  |                 waiters asleep on the data word (count)       |256   written by the receiver
 *  +---------------------------------------------------------------+
 *  |                 data futex word (sequence)                    |260   bumped by the sender to wake it
 *  +---------------------------------------------------------------+
 *  |                 ... to 384                                    |
 *  +---------------------------------------------------------------+
 *  |                 waiters asleep on the space word (count)      |384   written by the senders
 *  +---------------------------------------------------------------+
 *  |                 space futex word (sequence)                   |388   bumped by the receiver to wake it
 *  +---------------------------------------------------------------+
 *  |                 ... to 512                                    |
 *  +---------------------------------------------------------------+
 *  |                 sender table (many producers): 64 slots of    |512   a sender claims the first zero
 *  |                 64 bits, 0 = free, pid = attached, -pid =     |      slot by CAS 0 -> pid, writes -pid
 *  |                 closed cleanly                                |      (release) after its last commit
 *  +---------------------------------------------------------------+
 *  |                 ... to 1024                                   |
 *  +===============================================================+
 *  |                 hello table: 64 entries of 64 bytes, one per  |1024  entry 0 belongs to the sender pid
 *  |                 sender slot, each:                            |      at 128 (one producer), entry i to
 *  |                   +0  hello, 24 bytes (docs/WIRE.md)          |      slot i of the sender table (many)
 *  |                   +24 hello pid (64 bits)                     |      sender, release after the hello
 *  |                   +32 accepted pid (64 bits)                  |      receiver, release
 *  |                   +40 ... to +64, zero                        |
 *  +---------------------------------------------------------------+
 *  |                 ... to 5120                                   |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The sender table lets the one receiver of a many-producer ring name a sender that died without
 * closing (its pid is gone while its slot still holds it), as the one-producer ring does with its sender
 * pid, instead of waiting out the receive deadline. Senders past the 64th are counted but not named.
 *
 * <p>Version 3 adds the hello table ({@link dev.framebench.transport.shm.RingHello}). With {@code hello
 * required = 1} a sender presents the run's hello in its entry after claiming its pid field or slot, and
 * writes no record until its entry's accepted pid is its own; on a many-producer ring its records then
 * carry {@code msgTypeId = } {@link #TAGGED_FRAME_MSG_TYPE_ID} {@code + slot}, so that the receiver can
 * drop what a claimer it never accepted wrote. Without a token the table stays zero except the accepted
 * pids, and frames are {@link #FRAME_MSG_TYPE_ID} as in version 2.
 */
public final class RingFileDescriptor {
    /** ASCII "FBAG" read as a little-endian int. */
    public static final int MAGIC = 0x47414246;
    /** 3: the hello table at {@link #HELLO_TABLE_OFFSET} (2: the many-producer sender table). */
    public static final int VERSION = 3;
    /** The Agrona message type of a frame record; Agrona reserves -1 for padding. */
    public static final int FRAME_MSG_TYPE_ID = 1;
    /** With a token on a many-producer ring: a frame of the sender in slot s is {@code TAGGED_FRAME_MSG_TYPE_ID + s}. */
    public static final int TAGGED_FRAME_MSG_TYPE_ID = 0x100;

    /** Two cache lines, as Agrona's own trailer fields are spaced. */
    private static final int LINE = 128;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int CAPACITY_OFFSET = 8;
    public static final int RECEIVER_PID_OFFSET = 16;
    public static final int PRODUCERS_OFFSET = 24;
    public static final int HELLO_REQUIRED_OFFSET = 28;
    /** {@link #PRODUCERS_OFFSET}: Agrona's ManyToOneRingBuffer; 0 (a new file's zero) is its OneToOneRingBuffer. */
    public static final int MANY_PRODUCERS = 2;
    public static final int SENDER_PID_OFFSET = LINE;
    public static final int SENDER_CLOSED_OFFSET = LINE + 8;
    public static final int SENDERS_ATTACHED_OFFSET = LINE + 16;
    public static final int SENDERS_CLOSED_OFFSET = LINE + 20;
    /** A {@link dev.framebench.transport.shm.Doorbell}: how many wait at +0, then the futex word the other side bumps at +4. */
    public static final int DATA_DOORBELL_OFFSET = 2 * LINE;
    public static final int SPACE_DOORBELL_OFFSET = 3 * LINE;
    public static final int SENDER_TABLE_OFFSET = 4 * LINE;
    public static final int SENDER_TABLE_SLOTS = 64;
    public static final int HELLO_TABLE_OFFSET = 8 * LINE;
    public static final int HELLO_ENTRY_LENGTH = 64;
    public static final int HELLO_ENTRY_HELLO_OFFSET = 0;
    public static final int HELLO_ENTRY_HELLO_PID_OFFSET = 24;
    public static final int HELLO_ENTRY_ACCEPTED_PID_OFFSET = 32;
    public static final int CONTROL_LENGTH = HELLO_TABLE_OFFSET + SENDER_TABLE_SLOTS * HELLO_ENTRY_LENGTH;

    private RingFileDescriptor() {
    }

    /** Control-area offset of the hello table entry of sender slot {@code slot} (entry 0 for the one producer). */
    public static int helloEntryOffset(int slot) {
        return HELLO_TABLE_OFFSET + slot * HELLO_ENTRY_LENGTH;
    }

    /** Where the control area starts: after the records and Agrona's trailer. */
    public static long controlOffset(int capacity) {
        return (long) capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /** The whole file: records, trailer, control area. */
    public static long fileBytes(int capacity) {
        return controlOffset(capacity) + CONTROL_LENGTH;
    }

    /** The ring capacity a file of {@code fileBytes} holds, or -1 when no power of two fits it exactly. */
    public static int capacityOf(long fileBytes) {
        long capacity = fileBytes - RingBufferDescriptor.TRAILER_LENGTH - CONTROL_LENGTH;
        return capacity > 0 && capacity <= Integer.MAX_VALUE && Long.bitCount(capacity) == 1 ? (int) capacity : -1;
    }
}
