package dev.framebench.transport.shm.ffm;

import dev.framebench.frame.FramePreset;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.shm.Doorbell;
import org.junit.jupiter.api.Test;

import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.BAD_GEOMETRY;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEADER_LENGTH;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.HEADER_OK;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.MAGIC;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.NOT_A_RING;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.RECORD_ALIGNMENT;
import static dev.framebench.transport.shm.ffm.ShmRingDescriptor.UNKNOWN_VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmRingDescriptorTest {
    @Test
    void keepsTheVersion1OffsetsForeignPeersRelyOn() {
        assertEquals(0, ShmRingDescriptor.MAGIC_OFFSET);
        assertEquals(4, ShmRingDescriptor.VERSION_OFFSET);
        assertEquals(8, ShmRingDescriptor.HEADER_BYTES_OFFSET);
        assertEquals(16, ShmRingDescriptor.CAPACITY_OFFSET);
        assertEquals(24, ShmRingDescriptor.CONSUMER_PID_OFFSET);
        assertEquals(32, ShmRingDescriptor.PRODUCER_PID_OFFSET);
        assertEquals(40, ShmRingDescriptor.PRODUCER_CLOSED_OFFSET);
        assertEquals(128, ShmRingDescriptor.TAIL_POSITION_OFFSET);
        assertEquals(256, ShmRingDescriptor.HEAD_POSITION_OFFSET);
        assertEquals(384, ShmRingDescriptor.DATA_WAITER_OFFSET);
        assertEquals(388, ShmRingDescriptor.DATA_FUTEX_OFFSET);
        assertEquals(512, ShmRingDescriptor.SPACE_WAITER_OFFSET);
        assertEquals(516, ShmRingDescriptor.SPACE_FUTEX_OFFSET);
        assertEquals(4096, HEADER_LENGTH);
        assertEquals(64, ShmRingDescriptor.RECORD_HEADER_LENGTH);
        assertEquals(0, ShmRingDescriptor.RECORD_LENGTH_OFFSET);
        assertEquals(4, ShmRingDescriptor.RECORD_TYPE_OFFSET);
        assertEquals(1, ShmRingDescriptor.FRAME_RECORD);
        assertEquals(2, ShmRingDescriptor.PADDING_RECORD);
        assertEquals(0x47524246, MAGIC, "'F' 'B' 'R' 'G' as a little-endian int");
    }

    @Test
    void keepsTheHelloSlotInWhatVersion1Reserved() {
        assertEquals(44, ShmRingDescriptor.HELLO_REQUIRED_OFFSET);
        assertEquals(48, ShmRingDescriptor.HELLO_PID_OFFSET);
        assertEquals(56, ShmRingDescriptor.ACCEPTED_PID_OFFSET);
        assertEquals(64, ShmRingDescriptor.HELLO_OFFSET);
        assertTrue(ShmRingDescriptor.HELLO_OFFSET + SenderHello.LENGTH <= ShmRingDescriptor.TAIL_POSITION_OFFSET,
                "the hello stays in the producer's line, clear of the hot tail");
        assertEquals(1, ShmRingDescriptor.VERSION, "fields in reserved space: a producer that ignores them still works without a token");
    }

    @Test
    void eachWaiterFlagAndTheFutexWordAfterItFormOneDoorbell() {
        assertEquals(ShmRingDescriptor.DATA_WAITER_OFFSET + Doorbell.WAITERS_OFFSET, ShmRingDescriptor.DATA_WAITER_OFFSET);
        assertEquals(ShmRingDescriptor.DATA_WAITER_OFFSET + Doorbell.WORD_OFFSET, ShmRingDescriptor.DATA_FUTEX_OFFSET);
        assertEquals(ShmRingDescriptor.SPACE_WAITER_OFFSET + Doorbell.WORD_OFFSET, ShmRingDescriptor.SPACE_FUTEX_OFFSET);
        assertEquals(0, ShmRingDescriptor.DATA_WAITER_OFFSET % Integer.BYTES, "futex words must be 4-byte aligned");
        assertEquals(0, ShmRingDescriptor.SPACE_WAITER_OFFSET % Integer.BYTES, "futex words must be 4-byte aligned");
    }

    @Test
    void recordsOfHalfTheRingFitAnEmptyRingWhereverItStandsAndLargerOnesNeedNot() {
        int capacity = 1 << 16;
        int max = ShmRingDescriptor.maxRecordBytes(capacity);
        for (int offset = 0; offset < capacity; offset += RECORD_ALIGNMENT) {
            assertTrue(fitsEmptyRingAt(offset, max, capacity), "offset " + offset);
        }
        assertFalse(fitsEmptyRingAt(capacity / 2, max + RECORD_ALIGNMENT, capacity));
    }

    /** A record fits before the end, or after padding at offset 0 before the head (empty ring: head = tail = offset). */
    private static boolean fitsEmptyRingAt(int offset, int recordBytes, int capacity) {
        return recordBytes <= capacity - offset || recordBytes <= offset;
    }

    @Test
    void sizesTheDefaultRingForFourRecordsOfTheLargestFrame() {
        assertEquals(16 << 20, ShmRingDescriptor.defaultRingBytes(FramePreset.P1080_I420.frameBytes()));
        assertEquals(32 << 20, ShmRingDescriptor.defaultRingBytes(FramePreset.P1080_RGBA.frameBytes()));
        assertEquals(64 << 20, ShmRingDescriptor.defaultRingBytes(FramePreset.P2160_I420.frameBytes()));
        assertEquals(ShmRingDescriptor.MIN_CAPACITY, ShmRingDescriptor.defaultRingBytes(76));
        for (FramePreset preset : FramePreset.values()) {
            long ring = ShmRingDescriptor.defaultRingBytes(preset.frameBytes());
            assertTrue(ring >= 4 * ShmRingDescriptor.alignedRecordLength(preset.frameBytes()), preset.presetName());
        }
    }

    @Test
    void alignsRecordsSoEveryFrameStartsOnACacheLine() {
        assertEquals(128, ShmRingDescriptor.alignedRecordLength(1));
        assertEquals(128, ShmRingDescriptor.alignedRecordLength(64));
        assertEquals(192, ShmRingDescriptor.alignedRecordLength(65));
        assertEquals(64 + 3_110_464, ShmRingDescriptor.alignedRecordLength(FramePreset.P1080_I420.frameBytes()));
    }

    @Test
    void namesTheRingThatWouldTakeATooLargeFrame() {
        assertEquals("frame does not fit ring: frameBytes=8294464 maxRecordBytes=4194304; raise shm.ringBytes to >= 16777216",
                ShmRingDescriptor.frameDoesNotFit(8_294_464, 8 << 20));
    }

    @Test
    void checksAHeaderInTheOrderAProducerMust() {
        long capacity = 1 << 20;
        long fileBytes = HEADER_LENGTH + capacity;
        assertEquals(HEADER_OK, ShmRingDescriptor.checkHeader(MAGIC, 1, HEADER_LENGTH, capacity, fileBytes));
        assertEquals(NOT_A_RING, ShmRingDescriptor.checkHeader(0, 1, HEADER_LENGTH, capacity, fileBytes));
        assertEquals(UNKNOWN_VERSION, ShmRingDescriptor.checkHeader(MAGIC, 2, HEADER_LENGTH, capacity, fileBytes));
        assertEquals(BAD_GEOMETRY, ShmRingDescriptor.checkHeader(MAGIC, 1, HEADER_LENGTH, capacity + 64, fileBytes + 64));
        assertEquals(BAD_GEOMETRY, ShmRingDescriptor.checkHeader(MAGIC, 1, HEADER_LENGTH, capacity, fileBytes - 1));
        assertEquals(BAD_GEOMETRY, ShmRingDescriptor.checkHeader(MAGIC, 1, 64, capacity, 64 + capacity));
    }
}
