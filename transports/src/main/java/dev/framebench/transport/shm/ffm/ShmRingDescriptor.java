package dev.framebench.transport.shm.ffm;

import dev.framebench.transport.shm.ProducerFields;

/**
 * Layout of a framebench shared-memory ring file, version 1: a one-page header followed by the data
 * region, a ring of {@code capacity} bytes (a power of two) holding 64-byte-aligned records. Every integer
 * is little-endian. One producer and one consumer, each in its own process, map the whole file.
 *
 * <h2>Header (page 0)</h2>
 * Fields written by different sides, and fields one side writes per frame, sit in 128-byte blocks of
 * their own: two cache lines, because x86 prefetches the adjacent line of a pair and would otherwise
 * drag a neighbour's line back and forth (false sharing).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic 'F' 'B' 'R' 'G'                     |          0  consumer, release store, written last
 *  +---------------------------------------------------------------+
 *  |                          version = 1                          |          4  consumer, before magic
 *  +---------------------------------------------------------------+
 *  |                       headerBytes = 4096                      |          8  consumer, before magic
 *  +---------------------------------------------------------------+
 *  |                         reserved, zero                        |         12
 *  +---------------------------------------------------------------+
 *  |                    capacity, a power of two                   ...       16  consumer, before magic
 * ...                          (64 bits)                           |
 *  +---------------------------------------------------------------+
 *  |                          consumerPid                          ...       24  consumer, before magic
 * ...                          (64 bits)                           |
 *  +---------------------------------------------------------------+
 *  |                   producerPid, 0 = none yet                   ...       32  producer, CAS 0 -> own pid
 * ...                          (64 bits)                           |
 *  +---------------------------------------------------------------+
 *  |                producerClosed: 0 open, 1 closed               |         40  producer, release store, once
 *  +---------------------------------------------------------------+
 *  |           helloRequired: 1 = the receiver has a token         |         44  consumer, before magic
 *  +---------------------------------------------------------------+
 *  |            helloPid: the pid whose hello is at 64             ...       48  producer, release store after the hello
 * ...                          (64 bits)                           |
 *  +---------------------------------------------------------------+
 *  |          acceptedPid: the producer the consumer took          ...       56  consumer, release store, once
 * ...                          (64 bits)                           |
 *  +---------------------------------------------------------------+
 *  |            hello: 24 bytes, docs/WIRE.md (SenderHello)        ...       64  producer, plain stores
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |                   reserved, zero (40 bytes)                   |    88..127
 *  +===============================================================+
 *  |         tail: producer position, bytes ever committed         ...      128  producer, release store
 * ...                          (64 bits)                           |
 *  +---------------------------------------------------------------+
 *  |                   reserved, zero (120 bytes)                  |   136..255
 *  +===============================================================+
 *  |          head: consumer position, bytes ever released         ...      256  consumer, release store
 * ...                          (64 bits)                           |
 *  +---------------------------------------------------------------+
 *  |                   reserved, zero (120 bytes)                  |   264..383
 *  +===============================================================+
 *  |            dataWaiter: 1 while the consumer sleeps            |        384  consumer, atomic add + full fence
 *  +---------------------------------------------------------------+
 *  |           dataFutex: the word the consumer sleeps on          |        388  producer, atomic add
 *  +---------------------------------------------------------------+
 *  |                   reserved, zero (120 bytes)                  |   392..511
 *  +===============================================================+
 *  |            spaceWaiter: 1 while the producer sleeps           |        512  producer, atomic add + full fence
 *  +---------------------------------------------------------------+
 *  |          spaceFutex: the word the producer sleeps on          |        516  consumer, atomic add
 *  +---------------------------------------------------------------+
 *  |             reserved, zero, to the end of the page            |  520..4095
 *  +===============================================================+
 *  |             data region: capacity bytes of records            |       4096
 *  |                              ...                              |
 * </pre>
 *
 * <h2>Records (data region)</h2>
 * Positions ({@code head}, {@code tail}) count bytes since the ring was created and never wrap; a record
 * at position {@code p} starts at data offset {@code p & (capacity - 1)}, a multiple of 64. {@code head ==
 * tail} is empty. Each record is a 64-byte record header, then its body, then zero to 63 bytes of alignment
 * gap up to the next multiple of 64, where the next record starts:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |         recordLength: header + body bytes, not aligned        |          0
 *  +---------------------------------------------------------------+
 *  |                  type: 1 = frame, 2 = padding                 |          4
 *  +---------------------------------------------------------------+
 *  |                   reserved, zero (56 bytes)                   |      8..63
 *  +---------------------------------------------------------------+
 *  |              body: one whole frame (docs/WIRE.md)             |         64
 *  |                              ...                              |
 *  +---------------------------------------------------------------+
 *  |     alignment gap to the next multiple of 64, 0..63 bytes     |
 *  +---------------------------------------------------------------+
 * </pre>
 * A record never wraps: when a frame's record does not fit between the tail and the end of the data
 * region, the producer first writes a padding record filling exactly those bytes (its recordLength is
 * all of them, its body is garbage) and puts the frame record at offset 0. The record header being 64
 * bytes keeps every frame, and so every frame's own 64-byte header, on a cache-line boundary.
 *
 * <p>Each waiter field and the futex word after it form one {@link dev.framebench.transport.shm.Doorbell}
 * (waiters at +0, word at +4), whose Javadoc gives the handshake and why it loses no wake-up.
 *
 * <p>{@code producerPid}, {@code helloPid}, {@code acceptedPid} and {@code hello} are the ring's one
 * producer slot of {@link dev.framebench.transport.shm.RingHello}: with {@code helloRequired = 1} a
 * producer presents the run's hello there after claiming {@code producerPid} and writes no record until
 * {@code acceptedPid} is its pid; a claim without the right hello is evicted. These fields sit in what
 * version 1 reserved (zero), so a producer that knows nothing of them still works with a receiver given no
 * token, and the version stays 1.
 *
 * <p>Only static offsets and functions: the header is read and written in place through {@link ShmRing}, the
 * records by {@link ShmRingSender} and {@link ShmRingReceiver}.
 */
public final class ShmRingDescriptor {
    /** ASCII "FBRG" read as a little-endian int; the same in every version, so a reader can name a version it does not know. */
    public static final int MAGIC = 0x47524246;
    public static final int VERSION = 1;

    /** Cache line size on x86-64 and most aarch64 parts; records and frames are aligned to it. */
    public static final int CACHE_LINE_BYTES = 64;
    /** Spacing of fields written by different sides: a cache line and the one the prefetcher pairs with it. */
    public static final int FIELD_SPACING_BYTES = 2 * CACHE_LINE_BYTES;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int HEADER_BYTES_OFFSET = 8;
    public static final int CAPACITY_OFFSET = 16;
    public static final int CONSUMER_PID_OFFSET = 24;
    public static final int PRODUCER_PID_OFFSET = ProducerFields.PRODUCER_PID_OFFSET;
    public static final int PRODUCER_CLOSED_OFFSET = ProducerFields.PRODUCER_CLOSED_OFFSET;
    public static final int HELLO_REQUIRED_OFFSET = ProducerFields.HELLO_REQUIRED_OFFSET;
    public static final int HELLO_PID_OFFSET = ProducerFields.HELLO_PID_OFFSET;
    public static final int ACCEPTED_PID_OFFSET = ProducerFields.ACCEPTED_PID_OFFSET;
    public static final int HELLO_OFFSET = ProducerFields.HELLO_OFFSET;
    public static final int TAIL_POSITION_OFFSET = FIELD_SPACING_BYTES;
    public static final int HEAD_POSITION_OFFSET = 2 * FIELD_SPACING_BYTES;
    public static final int DATA_WAITER_OFFSET = 3 * FIELD_SPACING_BYTES;
    public static final int DATA_FUTEX_OFFSET = DATA_WAITER_OFFSET + 4;
    public static final int SPACE_WAITER_OFFSET = 4 * FIELD_SPACING_BYTES;
    public static final int SPACE_FUTEX_OFFSET = SPACE_WAITER_OFFSET + 4;
    /** One page, so the data region, and the first frame in it, start page-aligned. */
    public static final int HEADER_LENGTH = 4096;

    public static final int RECORD_HEADER_LENGTH = 64;
    public static final int RECORD_ALIGNMENT = CACHE_LINE_BYTES;
    public static final int RECORD_LENGTH_OFFSET = 0;
    public static final int RECORD_TYPE_OFFSET = 4;
    public static final int RECORD_RESERVED_OFFSET = 8;
    public static final int FRAME_RECORD = 1;
    public static final int PADDING_RECORD = 2;

    /** Smallest data region {@code shm.ringBytes} accepts: one page. */
    public static final int MIN_CAPACITY = 4096;
    /** Largest data region: positions masked to int offsets stay far from overflow. */
    public static final int MAX_CAPACITY = 1 << 30;
    /** Records of the largest frame the default ring holds at once. */
    public static final int DEFAULT_RECORDS = 4;

    /** {@link #checkHeader}: a ring a version-1 producer may attach to. */
    public static final int HEADER_OK = 0;
    /** {@link #checkHeader}: no magic, or another: not a framebench ring, or not initialised yet. */
    public static final int NOT_A_RING = -1;
    /** {@link #checkHeader}: a framebench ring of a version this code does not speak. */
    public static final int UNKNOWN_VERSION = -2;
    /** {@link #checkHeader}: headerBytes, capacity and the file size disagree. */
    public static final int BAD_GEOMETRY = -3;

    private ShmRingDescriptor() {
    }

    /** Data-region offset of the recordLength field of the record at {@code recordOffset}. */
    public static int lengthOffset(int recordOffset) {
        return recordOffset + RECORD_LENGTH_OFFSET;
    }

    /** Data-region offset of the type field of the record at {@code recordOffset}. */
    public static int typeOffset(int recordOffset) {
        return recordOffset + RECORD_TYPE_OFFSET;
    }

    /** Data-region offset of the body (the frame) of the record at {@code recordOffset}. */
    public static int bodyOffset(int recordOffset) {
        return recordOffset + RECORD_HEADER_LENGTH;
    }

    /** Bytes a frame of {@code frameBytes} occupies in the ring: record header, frame, alignment gap. */
    public static long alignedRecordLength(long frameBytes) {
        return align(RECORD_HEADER_LENGTH + frameBytes);
    }

    public static long align(long bytes) {
        return (bytes + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    /**
     * The largest record a ring of {@code capacity} takes: half of it. A record must fit once the ring
     * is empty, wherever the empty ring's position happens to be. At data offset {@code i} a record of
     * {@code r} bytes fits either before the end ({@code r <= capacity - i}) or, after a padding record of
     * {@code capacity - i} bytes, at offset 0 before the head ({@code r <= i}). The larger of the two is at
     * least {@code capacity / 2} for every {@code i}, and can be no more for {@code i = capacity / 2}: a
     * larger record could wait forever on an empty ring.
     */
    public static int maxRecordBytes(int capacity) {
        return capacity / 2;
    }

    /** The smallest ring whose {@link #maxRecordBytes} takes a frame of {@code frameBytes}. */
    public static long ringBytesFor(long frameBytes) {
        return Math.max(MIN_CAPACITY, nextPowerOfTwo(2 * alignedRecordLength(frameBytes)));
    }

    /** The default ring: the smallest power of two holding {@link #DEFAULT_RECORDS} records of the largest frame. */
    public static long defaultRingBytes(int maxFrameBytes) {
        return ringBytesHolding(DEFAULT_RECORDS, maxFrameBytes);
    }

    /** The smallest power of two holding {@code records} records of frames of {@code maxFrameBytes} (option {@code shm.ringFrames}). */
    public static long ringBytesHolding(int records, int maxFrameBytes) {
        return Math.max(ringBytesFor(maxFrameBytes), nextPowerOfTwo(records * alignedRecordLength(maxFrameBytes)));
    }

    /**
     * What a producer checks before attaching, in this order; {@link #HEADER_OK} or the first failure.
     * {@code magic} must have been read with acquire semantics, and the rest after it.
     */
    public static int checkHeader(int magic, int version, int headerBytes, long capacity, long fileBytes) {
        if (magic != MAGIC) {
            return NOT_A_RING;
        }
        if (version != VERSION) {
            return UNKNOWN_VERSION;
        }
        if (headerBytes != HEADER_LENGTH || !isValidCapacity(capacity) || fileBytes != headerBytes + capacity) {
            return BAD_GEOMETRY;
        }
        return HEADER_OK;
    }

    public static boolean isValidCapacity(long capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Long.bitCount(capacity) == 1;
    }

    /** The one-line error for a frame too large for the ring, naming the ring size that would take it. */
    public static String frameDoesNotFit(long frameBytes, int capacity) {
        return "frame does not fit ring: frameBytes=" + frameBytes + " maxRecordBytes=" + maxRecordBytes(capacity)
                + "; raise shm.ringBytes to >= " + ringBytesFor(frameBytes);
    }

    private static long nextPowerOfTwo(long value) {
        return value <= 1 ? 1 : Long.highestOneBit(value - 1) << 1;
    }
}
