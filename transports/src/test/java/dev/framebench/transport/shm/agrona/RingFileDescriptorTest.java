package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.shm.Doorbell;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control area's offsets as docs/WIRE.md gives them, for a producer written in another language. */
class RingFileDescriptorTest {
    @Test
    void pinsTheControlAreaAsWireMdDocumentsIt() {
        assertEquals(0, RingFileDescriptor.MAGIC_OFFSET);
        assertEquals(4, RingFileDescriptor.VERSION_OFFSET);
        assertEquals(8, RingFileDescriptor.CAPACITY_OFFSET);
        assertEquals(16, RingFileDescriptor.RECEIVER_PID_OFFSET);
        assertEquals(24, RingFileDescriptor.PRODUCERS_OFFSET);
        assertEquals(128, RingFileDescriptor.SENDER_PID_OFFSET);
        assertEquals(136, RingFileDescriptor.SENDER_CLOSED_OFFSET);
        assertEquals(144, RingFileDescriptor.SENDERS_ATTACHED_OFFSET);
        assertEquals(148, RingFileDescriptor.SENDERS_CLOSED_OFFSET);
        assertEquals(256, RingFileDescriptor.DATA_DOORBELL_OFFSET);
        assertEquals(384, RingFileDescriptor.SPACE_DOORBELL_OFFSET);
        assertEquals(512, RingFileDescriptor.SENDER_TABLE_OFFSET);
        assertEquals(28, RingFileDescriptor.HELLO_REQUIRED_OFFSET);
        assertEquals(1024, RingFileDescriptor.HELLO_TABLE_OFFSET);
        assertEquals(1024 + 5 * 64, RingFileDescriptor.helloEntryOffset(5));
        assertEquals(0, RingFileDescriptor.HELLO_ENTRY_HELLO_OFFSET);
        assertEquals(24, RingFileDescriptor.HELLO_ENTRY_HELLO_PID_OFFSET);
        assertEquals(32, RingFileDescriptor.HELLO_ENTRY_ACCEPTED_PID_OFFSET);
        assertEquals(5120, RingFileDescriptor.CONTROL_LENGTH);
        assertEquals(3, RingFileDescriptor.VERSION);
        assertEquals(0x100, RingFileDescriptor.TAGGED_FRAME_MSG_TYPE_ID);
        assertEquals(0x47414246, RingFileDescriptor.MAGIC, "'F' 'B' 'A' 'G' as a little-endian int");
    }

    @Test
    void eachDoorbellIsItsWaiterCountThenItsFutexWord() {
        // WIRE.md: waiters asleep at +0 (256, 384), the futex word at +4 (260, 388).
        assertEquals(0, Doorbell.WAITERS_OFFSET);
        assertEquals(4, Doorbell.WORD_OFFSET);
        assertEquals(8, Doorbell.LENGTH);
        assertTrue(RingFileDescriptor.DATA_DOORBELL_OFFSET + Doorbell.LENGTH <= RingFileDescriptor.SPACE_DOORBELL_OFFSET);
        assertTrue(RingFileDescriptor.SPACE_DOORBELL_OFFSET + Doorbell.LENGTH <= RingFileDescriptor.SENDER_TABLE_OFFSET);
    }
}
