package dev.framebench.transport.shm.slots;

import dev.framebench.transport.shm.ProducerFields;

/**
 * Layout of a framebench shared-memory slots file, version 1: a one-page control area followed by
 * {@code slotCount} slots of {@code slotBytes} each, every slot page-aligned and big enough for one whole
 * frame. Every integer is little-endian. One producer and one consumer, each in its own process, map the
 * whole file. A frame never moves: the producer writes it into a free slot, publishes the slot's index on
 * the ready queue, the consumer reads it where it lies and hands the slot back on the free queue (the
 * zero-copy design of iceoryx and eCAL).
 *
 * <h2>Control area (page 0)</h2>
 * Fields written by different sides, and fields one side writes per frame, sit in 128-byte blocks of their
 * own (a cache line and the one x86's adjacent-line prefetcher pairs with it), as in the {@code shm-ffm} ring.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     magic 'F' 'B' 'S' 'L'                     |          0  consumer, release store, written last
 *  +---------------------------------------------------------------+
 *  |                          version = 1                          |          4  consumer, before magic
 *  +---------------------------------------------------------------+
 *  |                       headerBytes = 4096                      |          8  consumer, before magic
 *  +---------------------------------------------------------------+
 *  |                      slotCount, 2..64                         |         12  consumer, before magic
 *  +---------------------------------------------------------------+
 *  |               slotBytes, a multiple of 4096                   ...       16  consumer, before magic
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
 *  +---------------------------------------------------------------+
 *  |                   reserved, zero (40 bytes)                   |    88..127
 *  +===============================================================+
 *  |       readyTail: ready-queue entries ever published           ...      128  producer, release store
 * ...                          (64 bits)                           |
 *  +===============================================================+
 *  |       freeTail: free-queue entries ever published             ...      256  consumer, release store
 * ...                          (64 bits)                           |
 *  +===============================================================+
 *  |   dataWaiter (+0) and dataFutex (+4): the consumer's Doorbell |        384  consumer sleeps, producer rings
 *  +===============================================================+
 *  |  spaceWaiter (+0) and spaceFutex (+4): the producer's Doorbell|        512  producer sleeps, consumer rings
 *  +===============================================================+
 *  |                     reserved, zero                            |   520..1023
 *  +===============================================================+
 *  |   ready queue: 64 entries of 8 bytes, producer -> consumer    |       1024  producer, plain stores
 *  |     entry: u32 slot index, u32 frameBytes                     |             (published by readyTail)
 *  +===============================================================+
 *  |     free queue: 64 entries of 8 bytes, consumer -> producer   |       2048  consumer, plain stores
 *  |     entry: u32 slot index, u32 zero                           |             (published by freeTail)
 *  +===============================================================+
 *  |             reserved, zero, to the end of the page            |  2560..4095
 *  +===============================================================+
 *  |   slot 0: slotBytes                                           |       4096
 *  |   slot i at 4096 + i * slotBytes                              |
 * </pre>
 *
 * <h2>The two queues</h2>
 * Each is a single-producer, single-consumer queue of {@link #QUEUE_ENTRIES} entries whose positions count
 * entries ever published and never wrap; entry {@code p} sits at {@code p & (QUEUE_ENTRIES - 1)}. Only the
 * writer's position ({@code readyTail}, {@code freeTail}) is shared: a reader keeps its own head privately.
 * Neither queue can overrun its reader, so neither needs the reader's head: there are only
 * {@code slotCount <= QUEUE_ENTRIES} slots, each slot's index is in at most one queue entry not yet read,
 * and a writer publishes an entry only for a slot it holds. At start (and when the consumer accepts a
 * producer that presented the run's hello) the free queue holds slots {@code 0, 1, ..., slotCount - 1} in
 * entries {@code 0..slotCount-1}, {@code freeTail = slotCount}, {@code readyTail = 0}, and both readers'
 * heads are 0. The consumer returns slots in the order it received them, so a producer that always takes
 * the next free entry uses slots {@code 0, 1, ..., slotCount - 1, 0, 1, ...}.
 *
 * <p>{@code producerPid}, {@code helloPid}, {@code acceptedPid} and {@code hello} are the file's one
 * producer slot of {@link dev.framebench.transport.shm.RingHello}, at the offsets {@code shm-ffm} uses.
 *
 * <p>Only static offsets and functions: the control area is read and written in place through
 * {@link ShmSlots}, the slots by {@link ShmSlotsSender} and {@link ShmSlotsReceiver}.
 */
public final class ShmSlotsDescriptor {
    /** ASCII "FBSL" read as a little-endian int; the same in every version, so a reader can name a version it does not know. */
    public static final int MAGIC = 0x4c534246;
    public static final int VERSION = 1;

    public static final int CACHE_LINE_BYTES = 64;
    /** Spacing of fields written by different sides: a cache line and the one the prefetcher pairs with it. */
    public static final int FIELD_SPACING_BYTES = 2 * CACHE_LINE_BYTES;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int HEADER_BYTES_OFFSET = 8;
    public static final int SLOT_COUNT_OFFSET = 12;
    public static final int SLOT_BYTES_OFFSET = 16;
    public static final int CONSUMER_PID_OFFSET = 24;
    public static final int PRODUCER_PID_OFFSET = ProducerFields.PRODUCER_PID_OFFSET;
    public static final int PRODUCER_CLOSED_OFFSET = ProducerFields.PRODUCER_CLOSED_OFFSET;
    public static final int HELLO_REQUIRED_OFFSET = ProducerFields.HELLO_REQUIRED_OFFSET;
    public static final int HELLO_PID_OFFSET = ProducerFields.HELLO_PID_OFFSET;
    public static final int ACCEPTED_PID_OFFSET = ProducerFields.ACCEPTED_PID_OFFSET;
    public static final int HELLO_OFFSET = ProducerFields.HELLO_OFFSET;
    public static final int READY_TAIL_OFFSET = FIELD_SPACING_BYTES;
    public static final int FREE_TAIL_OFFSET = 2 * FIELD_SPACING_BYTES;
    public static final int DATA_WAITER_OFFSET = 3 * FIELD_SPACING_BYTES;
    public static final int DATA_FUTEX_OFFSET = DATA_WAITER_OFFSET + 4;
    public static final int SPACE_WAITER_OFFSET = 4 * FIELD_SPACING_BYTES;
    public static final int SPACE_FUTEX_OFFSET = SPACE_WAITER_OFFSET + 4;
    public static final int READY_QUEUE_OFFSET = 1024;
    public static final int FREE_QUEUE_OFFSET = 2048;
    /** One page, so slot 0, and the frame in it, start page-aligned. */
    public static final int HEADER_LENGTH = 4096;

    /** Entries per queue: the most slots a file may have, a power of two. */
    public static final int QUEUE_ENTRIES = 64;
    public static final int QUEUE_ENTRY_BYTES = 8;
    public static final int ENTRY_SLOT_OFFSET = 0;
    public static final int ENTRY_FRAME_BYTES_OFFSET = 4;

    /** Every slot starts on a page: its frame, header first, is page- and so cache-line-aligned. */
    public static final int SLOT_ALIGNMENT = 4096;
    public static final int MIN_SLOTS = 2;
    public static final int MAX_SLOTS = QUEUE_ENTRIES;
    /** As many as the pictures of a sender's pool ({@code FramePool.DEFAULT_FRAMES}). */
    public static final int DEFAULT_SLOTS = 8;
    /** Largest slot: a frame offset inside it is an int. */
    public static final long MAX_SLOT_BYTES = 1L << 30;

    /** {@link #checkHeader}: a file a version-1 producer may attach to. */
    public static final int HEADER_OK = 0;
    /** {@link #checkHeader}: no magic, or another: not a framebench slots file, or not initialised yet. */
    public static final int NOT_SLOTS = -1;
    /** {@link #checkHeader}: a framebench slots file of a version this code does not speak. */
    public static final int UNKNOWN_VERSION = -2;
    /** {@link #checkHeader}: headerBytes, slotCount, slotBytes and the file size disagree. */
    public static final int BAD_GEOMETRY = -3;

    private ShmSlotsDescriptor() {
    }

    /** File offset of the ready-queue entry of position {@code position}. */
    public static int readyEntryOffset(long position) {
        return READY_QUEUE_OFFSET + (int) (position & (QUEUE_ENTRIES - 1)) * QUEUE_ENTRY_BYTES;
    }

    /** File offset of the free-queue entry of position {@code position}. */
    public static int freeEntryOffset(long position) {
        return FREE_QUEUE_OFFSET + (int) (position & (QUEUE_ENTRIES - 1)) * QUEUE_ENTRY_BYTES;
    }

    /** File offset of slot {@code slot}'s first byte. */
    public static long slotOffset(int slot, long slotBytes) {
        return HEADER_LENGTH + slot * slotBytes;
    }

    /** The slot size for frames of at most {@code maxFrameBytes}: rounded up to whole pages, at least one. */
    public static long slotBytesFor(long maxFrameBytes) {
        return Math.max(SLOT_ALIGNMENT, (maxFrameBytes + SLOT_ALIGNMENT - 1) & -SLOT_ALIGNMENT);
    }

    /** The file's size: the control page and every slot. */
    public static long fileBytes(int slotCount, long slotBytes) {
        return HEADER_LENGTH + slotCount * slotBytes;
    }

    public static boolean isValidSlotCount(long slotCount) {
        return slotCount >= MIN_SLOTS && slotCount <= MAX_SLOTS;
    }

    public static boolean isValidSlotBytes(long slotBytes) {
        return slotBytes >= SLOT_ALIGNMENT && slotBytes <= MAX_SLOT_BYTES && slotBytes % SLOT_ALIGNMENT == 0;
    }

    /**
     * What a producer checks before attaching, in this order; {@link #HEADER_OK} or the first failure.
     * {@code magic} must have been read with acquire semantics, and the rest after it.
     */
    public static int checkHeader(int magic, int version, int headerBytes, int slotCount, long slotBytes, long fileBytes) {
        if (magic != MAGIC) {
            return NOT_SLOTS;
        }
        if (version != VERSION) {
            return UNKNOWN_VERSION;
        }
        if (headerBytes != HEADER_LENGTH || !isValidSlotCount(slotCount) || !isValidSlotBytes(slotBytes)
                || fileBytes != fileBytes(slotCount, slotBytes)) {
            return BAD_GEOMETRY;
        }
        return HEADER_OK;
    }

    /** The one-line error for a frame larger than a slot. */
    public static String frameDoesNotFit(long frameBytes, long slotBytes) {
        return "frame does not fit a slot: frameBytes=" + frameBytes + " slotBytes=" + slotBytes
                + "; open the receiver for frames of at least " + frameBytes + " bytes (its maxFrameBytes)";
    }
}
