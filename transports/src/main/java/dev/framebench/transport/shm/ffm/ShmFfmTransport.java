package dev.framebench.transport.shm.ffm;

import dev.framebench.frame.FramePreset;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.Futex;
import dev.framebench.transport.shm.IdleMode;
import dev.framebench.transport.shm.ShmFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code shm-ffm}: framebench's own single-producer, single-consumer ring in a shared-memory file that
 * both JVMs map with {@code java.lang.foreign}, laid out as {@link ShmRingDescriptor} draws it. The
 * receiver creates the file (its path is the endpoint) and reads each frame in place; the sender claims
 * the ring and writes each frame into it: one copy per frame in all, no system call while both sides
 * keep up. How a side waits when the other is behind is the {@code idle} option.
 */
public final class ShmFfmTransport implements Transport {
    static final String DIR = "shm.dir";
    static final String RING_BYTES = "shm.ringBytes";
    /** The ring's size in frames rather than bytes, so one value means the same at every preset (the ring-size sweep's unit). */
    static final String RING_FRAMES = "shm.ringFrames";
    static final int MAX_RING_FRAMES = 64;
    /** The file name's kind: {@code framebench-ffm-<pid>-<n>}. */
    static final String FILE_KIND = "ffm";
    /**
     * How long a sender given a token waits to be accepted, as socket senders wait to connect: room for a
     * stranger's claim to be evicted first ({@link dev.framebench.transport.RunToken#HELLO_TIMEOUT}).
     */
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "shm-ffm";
    }

    @Override
    public String description() {
        return "SPSC ring in a /dev/shm file mapped by both JVMs (java.lang.foreign); one copy: the sender's into the ring";
    }

    @Override
    public int copiesPerFrame() {
        // The sender's inherited send claims the frame's place in the ring and copies the frame into it once
        // (ShmRingSender); the receiver reads it where it lies, a view of the ring (ShmRingReceiver): 1.
        return 1;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(DIR, "folder of the ring file, a tmpfs (default " + ShmFiles.DEFAULT_DIR + ")");
        options.put(RING_BYTES, "ring data bytes, a power of two (default: the smallest holding "
                + ShmRingDescriptor.DEFAULT_RECORDS + " records of the largest frame)");
        options.put(RING_FRAMES, "ring size in frames, 2.." + MAX_RING_FRAMES + ": the smallest power of two holding that many records of the"
                + " largest frame (default " + ShmRingDescriptor.DEFAULT_RECORDS + "); not with " + RING_BYTES);
        options.put(IdleMode.KEY, IdleMode.HELP);
        return options;
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        return openReceiver(options, FramePreset.maxFrameBytes());
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options, int maxFrameBytes) {
        IdleMode idle = idleMode(options);
        int capacity = ringBytes(options, maxFrameBytes);
        // Fail before any file exists, as shm-agrona does, rather than at the sender's first claim.
        if (ShmRingDescriptor.maxRecordBytes(capacity) < maxFrameBytes) {
            throw new BadInputException(ShmRingDescriptor.frameDoesNotFit(maxFrameBytes, capacity));
        }
        Path dir = Path.of(options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
        ShmFiles.sweepStale(dir);
        Path file = ShmFiles.createFile(dir, FILE_KIND, (long) ShmRingDescriptor.HEADER_LENGTH + capacity);
        try {
            return new ShmRingReceiver(ShmRing.create(file, capacity, options.token() != null), idle, options.token());
        } catch (RuntimeException e) {
            ShmFiles.delete(file);
            throw e;
        }
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        return ShmRingSender.attach(Path.of(endpoint), idleMode(options), options.token(), Deadline.after(ATTACH_TIMEOUT));
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        idleMode(options);
        ringBytes(options, maxFrameBytes);
        ShmFiles.folder(DIR, options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
    }

    /** {@code shm.ringBytes}, or the default for frames of {@code maxFrameBytes}. */
    static int ringBytes(TransportOptions options, int maxFrameBytes) {
        if (options.has(RING_BYTES) && options.has(RING_FRAMES)) {
            throw new BadInputException("options " + RING_BYTES + "=" + options.get(RING_BYTES, "") + " and " + RING_FRAMES + "="
                    + options.get(RING_FRAMES, "") + " both size the ring; give one of them");
        }
        if (!options.has(RING_BYTES)) {
            int frames = options.getInt(RING_FRAMES, ShmRingDescriptor.DEFAULT_RECORDS, 2, MAX_RING_FRAMES);
            long ringBytes = ShmRingDescriptor.ringBytesHolding(frames, maxFrameBytes);
            if (!ShmRingDescriptor.isValidCapacity(ringBytes)) {
                throw new BadInputException("frames of maxFrameBytes=" + maxFrameBytes + " need a ring of ringBytes=" + ringBytes
                        + ", above the largest of " + ShmRingDescriptor.MAX_CAPACITY + "; send smaller frames");
            }
            return (int) ringBytes;
        }
        int ringBytes;
        try {
            ringBytes = options.getInt(RING_BYTES, 0, ShmRingDescriptor.MIN_CAPACITY, ShmRingDescriptor.MAX_CAPACITY);
        } catch (BadInputException e) {
            ringBytes = -1;
        }
        if (!ShmRingDescriptor.isValidCapacity(ringBytes)) {
            throw new BadInputException("bad value for option " + RING_BYTES + ": " + RING_BYTES + "=" + options.get(RING_BYTES, "")
                    + "; allowed: a power of two from " + ShmRingDescriptor.MIN_CAPACITY + " to " + ShmRingDescriptor.MAX_CAPACITY);
        }
        return ringBytes;
    }

    private static IdleMode idleMode(TransportOptions options) {
        IdleMode idle = IdleMode.from(options);
        if (idle == IdleMode.FUTEX && !Futex.available()) {
            throw new BadInputException("idle=futex needs Linux futexes on x86-64 or aarch64, not found here; choose idle=backoff");
        }
        return idle;
    }
}
