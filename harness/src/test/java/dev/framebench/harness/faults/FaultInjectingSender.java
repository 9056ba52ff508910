package dev.framebench.harness.faults;

import dev.framebench.frame.FrameHeader;
import dev.framebench.transport.FrameSender;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * TEST ONLY: a {@link FrameSender} that passes every frame through unchanged except the one whose
 * sequence is {@link SenderFault#sequence()}, which it copies, corrupts as {@link SenderFault#kind()} says,
 * and sends instead. The pooled frame is never touched, so later frames are intact: the receiver must
 * catch the fault by itself, at that sequence. The corrupted copy lives as long as anything refers
 * to it, since a transport that passes references (inproc-handoff) may still hold it.
 *
 * <p>Threading: single sender thread, as every {@link FrameSender}.
 */
final class FaultInjectingSender implements FrameSender {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final FrameSender delegate;
    private final SenderFault fault;
    /** Freed by the GC, not by close(): a receiver thread of inproc-handoff may still read the copy after the sender closes. */
    private final Arena arena = Arena.ofAuto();
    private boolean injected;

    FaultInjectingSender(FrameSender delegate, SenderFault fault) {
        this.delegate = delegate;
        this.fault = fault;
        System.err.println("framebench sender: TEST-ONLY fault injection " + fault + " (never in a published run)");
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        return delegate.claim(frameBytes, deadlineNanos);
    }

    @Override
    public void commit() {
        delegate.commit();
    }

    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        if (injected || FrameHeader.sequence(frame) != fault.sequence()) {
            delegate.send(frame, deadlineNanos);
            return;
        }
        injected = true;
        MemorySegment bad = arena.allocate(frame.byteSize(), 64);
        bad.copyFrom(frame);
        long sequence = fault.sequence();
        switch (fault.kind()) {
            case FLIP_PAYLOAD_BIT -> {
                long offset = FrameHeader.LENGTH + (bad.byteSize() - FrameHeader.LENGTH) / 2;
                bad.set(ValueLayout.JAVA_BYTE, offset, (byte) (bad.get(ValueLayout.JAVA_BYTE, offset) ^ 0x01));
            }
            case TRUNCATED_FRAME -> bad = bad.asSlice(0, bad.byteSize() - SenderFault.TRUNCATED_BYTES);
            case DUPLICATE_SEQUENCE -> bad.set(I64, FrameHeader.SEQUENCE_OFFSET, sequence - 1);
            case SKIPPED_SEQUENCE -> bad.set(I64, FrameHeader.SEQUENCE_OFFSET, sequence + 1);
            case BAD_MAGIC -> bad.set(I32, FrameHeader.MAGIC_OFFSET, SenderFault.BAD_MAGIC_VALUE);
            case BAD_VERSION -> bad.set(U16, FrameHeader.VERSION_OFFSET, (short) SenderFault.BAD_VERSION_VALUE);
            case BAD_LENGTH -> bad.set(I32, FrameHeader.PAYLOAD_LENGTH_OFFSET,
                    FrameHeader.payloadLength(frame) + SenderFault.BAD_LENGTH_DELTA);
        }
        delegate.send(bad, deadlineNanos);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
