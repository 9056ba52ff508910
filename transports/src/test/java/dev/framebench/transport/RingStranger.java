package dev.framebench.transport;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.shm.agrona.AgronaRuntime;
import dev.framebench.transport.shm.agrona.RingFileDescriptor;
import dev.framebench.transport.shm.ffm.ShmRingDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stranger to a ring, in a second JVM: it maps the receiver's ring file as any same-user process can and
 * claims the producer slot the way a producer written before the hello would, by the offsets docs/WIRE.md
 * gives, using none of framebench's ring code. What it does then is its {@link Mode}. It says {@code CLAIMED}
 * on stdout once done; in the modes that stay, it waits on stdin until its parent closes it.
 */
final class RingStranger implements AutoCloseable {
    /** What the stranger does after claiming the producer slot. */
    enum Mode {
        /** Writes two valid frames, marks the stream closed and exits: a producer that knows no hello. */
        FRAMES,
        /** Presents a hello of garbage and writes garbage into the data region, then stays. */
        GARBAGE,
        /** Claims and then does nothing, alive, until killed: the stranger that would lock a naive ring. */
        STALL
    }

    static final FramePreset PRESET = FramePreset.P720_I420;
    private static final int FRAMES = 2;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_FIELD = INT.varHandle();
    private static final VarHandle LONG_FIELD = LONG.varHandle();

    private final Process process;

    private RingStranger(Process process) {
        this.process = process;
    }

    /** Starts the stranger on {@code transport}'s ring at {@code endpoint} and returns once it has claimed the slot and done its part. */
    static RingStranger claimFirst(String transport, String endpoint, Mode mode) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", AgronaRuntime.JVM_OPTION, "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), RingStranger.class.getName(), transport, endpoint, mode.name());
        RingStranger stranger = new RingStranger(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        String line = new BufferedReader(new InputStreamReader(stranger.process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"CLAIMED".equals(line)) {
            stranger.close();
            throw new IllegalStateException("ring stranger pid " + stranger.pid() + " said " + line + " instead of CLAIMED");
        }
        if (mode == Mode.FRAMES) {
            stranger.awaitExit();
        }
        return stranger;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void awaitExit() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        awaitExit();
    }

    public static void main(String[] args) throws IOException {
        String transport = args[0];
        Path file = Path.of(args[1]);
        Mode mode = Mode.valueOf(args[2]);
        long pid = ProcessHandle.current().pid();
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FramePool pool = new FramePool(PRESET, 1)) {
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            if (transport.equals("shm-ffm")) {
                ffm(mapping, pid, mode, pool);
            } else {
                agrona(mapping, pid, mode, pool, transport.equals("shm-agrona-mpsc"));
            }
            System.out.println("CLAIMED");
            System.out.flush();
            if (mode != Mode.FRAMES) {
                // Stays, holding its claim, until the test is done with it.
                int unused = System.in.read();
            }
        }
        System.exit(0);
    }

    private static void ffm(MemorySegment ring, long pid, Mode mode, FramePool pool) {
        if ((long) LONG_FIELD.compareAndExchange(ring, (long) ShmRingDescriptor.PRODUCER_PID_OFFSET, 0L, pid) != 0L) {
            throw new IllegalStateException("the ring was claimed before the stranger");
        }
        MemorySegment data = ring.asSlice(ShmRingDescriptor.HEADER_LENGTH);
        long tail = 0;
        if (mode == Mode.FRAMES) {
            for (long seq = 0; seq < FRAMES; seq++) {
                MemorySegment frame = pool.stamp(0, 1000 + seq, seq);
                int offset = (int) tail;
                data.set(INT, ShmRingDescriptor.lengthOffset(offset), ShmRingDescriptor.RECORD_HEADER_LENGTH + (int) frame.byteSize());
                data.set(INT, ShmRingDescriptor.typeOffset(offset), ShmRingDescriptor.FRAME_RECORD);
                data.asSlice(ShmRingDescriptor.bodyOffset(offset), frame.byteSize()).copyFrom(frame);
                tail += ShmRingDescriptor.alignedRecordLength(frame.byteSize());
            }
            LONG_FIELD.setRelease(ring, (long) ShmRingDescriptor.TAIL_POSITION_OFFSET, tail);
            INT_FIELD.setRelease(ring, (long) ShmRingDescriptor.PRODUCER_CLOSED_OFFSET, 1);
        } else if (mode == Mode.GARBAGE) {
            data.asSlice(0, 4096).fill((byte) 0x5A);
            LONG_FIELD.setRelease(ring, (long) ShmRingDescriptor.TAIL_POSITION_OFFSET, 4096L);
            ring.asSlice(ShmRingDescriptor.HELLO_OFFSET, 24).fill((byte) 0x5A);
            LONG_FIELD.setRelease(ring, (long) ShmRingDescriptor.HELLO_PID_OFFSET, pid);
        }
    }

    private static void agrona(MemorySegment file, long pid, Mode mode, FramePool pool, boolean manyProducers) {
        long control = file.byteSize() - RingFileDescriptor.CONTROL_LENGTH;
        int capacity = (int) (control - RingBufferDescriptor.TRAILER_LENGTH);
        MemorySegment area = file.asSlice(control, RingFileDescriptor.CONTROL_LENGTH);
        if ((long) LONG_FIELD.compareAndExchange(area, (long) RingFileDescriptor.SENDER_PID_OFFSET, 0L, pid) != 0L) {
            throw new IllegalStateException("the ring was claimed before the stranger");
        }
        long slot = RingFileDescriptor.SENDER_TABLE_OFFSET;
        if (manyProducers) {
            LONG_FIELD.setRelease(area, slot, pid);
            int unused = (int) INT_FIELD.getAndAdd(area, (long) RingFileDescriptor.SENDERS_ATTACHED_OFFSET, 1);
        }
        UnsafeBuffer buffer = new UnsafeBuffer(file.address(), capacity + RingBufferDescriptor.TRAILER_LENGTH);
        RingBuffer ring = manyProducers ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
        if (mode == Mode.FRAMES) {
            for (long seq = 0; seq < FRAMES; seq++) {
                MemorySegment frame = pool.stamp(0, 1000 + seq, seq);
                if (!ring.write(RingFileDescriptor.FRAME_MSG_TYPE_ID, new UnsafeBuffer(frame.address(), (int) frame.byteSize()), 0,
                        (int) frame.byteSize())) {
                    throw new IllegalStateException("no room for the stranger's frame");
                }
            }
            if (manyProducers) {
                LONG_FIELD.setRelease(area, slot, -pid);
                int unused = (int) INT_FIELD.getAndAdd(area, (long) RingFileDescriptor.SENDERS_CLOSED_OFFSET, 1);
            } else {
                INT_FIELD.setRelease(area, (long) RingFileDescriptor.SENDER_CLOSED_OFFSET, 1);
            }
        } else if (mode == Mode.GARBAGE) {
            byte[] garbage = new byte[4096];
            Arrays.fill(garbage, (byte) 0x5A);
            if (!ring.write(RingFileDescriptor.FRAME_MSG_TYPE_ID, new UnsafeBuffer(garbage), 0, garbage.length)) {
                throw new IllegalStateException("no room for the stranger's garbage");
            }
            long entry = RingFileDescriptor.helloEntryOffset(0);
            area.asSlice(entry + RingFileDescriptor.HELLO_ENTRY_HELLO_OFFSET, 24).fill((byte) 0x5A);
            LONG_FIELD.setRelease(area, entry + RingFileDescriptor.HELLO_ENTRY_HELLO_PID_OFFSET, pid);
        }
    }
}
