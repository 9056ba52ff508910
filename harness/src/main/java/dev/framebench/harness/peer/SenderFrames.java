package dev.framebench.harness.peer;

import dev.framebench.error.TransportException;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.FrameSender;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Where a stream's pre-rendered frames live and how one is sent: in the sender's lent memory when its
 * transport lends frames ({@link FrameSender#lentFrames}, a zero-copy ring's slots), so sending is a claim, a
 * header stamp and a commit with no payload byte moved; otherwise in the JVM's own {@link FramePool}, stamped
 * and passed to {@link FrameSender#send}. Both send loops go through here, so saturated and paced runs do
 * exactly the same work per frame.
 */
public final class SenderFrames {
    private SenderFrames() {
    }

    /** The pool of one stream, asked of its sender once, before its first frame. */
    public static FramePool poolFor(FrameSender sender, FramePreset preset) {
        List<MemorySegment> lent = sender.lentFrames(preset.frameBytes());
        return lent.isEmpty() ? new FramePool(preset) : new FramePool(preset, lent);
    }

    /** Sends the frame that carries {@code sequence}: pool picture {@code sequence mod size}, stamped with {@code stampNanos}. */
    public static void send(FrameSender sender, FramePool pool, int streamId, long sequence, long stampNanos, long deadlineNanos) {
        if (!pool.lent()) {
            sender.send(pool.stamp(streamId, sequence, stampNanos), deadlineNanos);
            return;
        }
        MemorySegment frame = sender.claim(pool.preset().frameBytes(), deadlineNanos);
        MemorySegment expected = pool.frame((int) Long.remainderUnsigned(sequence, pool.size()));
        if (frame.address() != expected.address()) {
            // The picture in a lent frame was rendered once: another frame than the k-th would carry the wrong picture.
            throw new TransportException("the sender's transport handed out its lent frames out of order: claim "
                    + sequence + " returned the frame at 0x" + Long.toHexString(frame.address()) + ", not lent frame "
                    + Long.remainderUnsigned(sequence, pool.size()) + " at 0x" + Long.toHexString(expected.address()));
        }
        FrameHeader.stamp(frame, streamId, sequence, stampNanos);
        sender.commit();
    }
}
