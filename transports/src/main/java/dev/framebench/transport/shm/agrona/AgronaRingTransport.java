package dev.framebench.transport.shm.agrona;

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
 * What {@code shm-agrona} and {@code shm-agrona-mpsc} share: an Agrona ring buffer in a file of
 * {@code /dev/shm} that both JVMs map. The sender claims a record and writes the frame into it (one copy,
 * or none for a producer that renders in place); the receiver reads the frame where it lies and releases
 * it. The endpoint is the file's path. framebench's own control area after Agrona's trailer carries the
 * pids, a clean-close flag and the futex doorbells ({@link RingFileDescriptor}). Each name is a public
 * final subclass with a no-argument constructor, as {@link java.util.ServiceLoader} requires of a provider
 * on the class path.
 */
abstract sealed class AgronaRingTransport implements Transport permits ShmAgronaTransport, ShmAgronaMpscTransport {
    static final String DIR = "shm.dir";
    /**
     * How long a sender given a token waits to be accepted, as socket senders wait to connect: room for a
     * stranger's claim to be evicted first ({@link dev.framebench.transport.RunToken#HELLO_TIMEOUT}).
     */
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

    private final boolean manyProducers;

    /**
     * @param manyProducers Agrona's {@code ManyToOneRingBuffer}, so any number of senders (threads or JVMs)
     *                      fan in to one receiver through one ring, as the meeting-bot ring did; else its
     *                      {@code OneToOneRingBuffer}
     */
    AgronaRingTransport(boolean manyProducers) {
        this.manyProducers = manyProducers;
    }

    @Override
    public int copiesPerFrame() {
        // Both rings' senders claim a record in the mapped file and copy the frame into it once (the inherited send);
        // the receiver reads it where it lies (ShmAgronaReceiver): 1.
        return 1;
    }

    @Override
    public final boolean fanIn() {
        return manyProducers;
    }

    @Override
    public final Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(DIR, "folder of the ring file, a tmpfs (default " + ShmFiles.DEFAULT_DIR + ")");
        options.put(RingCapacity.KEY, "ring capacity in bytes, a power of two; records are at most 1/8 of it"
                + " (default: the smallest that holds the largest frame)");
        options.put(IdleMode.KEY, IdleMode.HELP);
        return options;
    }

    @Override
    public final void validate(TransportOptions options, int maxFrameBytes) {
        idleMode(options);
        RingCapacity.fromOptions(options, maxFrameBytes);
        ShmFiles.folder(DIR, options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
    }

    @Override
    public final FrameReceiver openReceiver(TransportOptions options) {
        return openReceiver(options, FramePreset.maxFrameBytes());
    }

    @Override
    public final FrameReceiver openReceiver(TransportOptions options, int maxFrameBytes) {
        AgronaRuntime.require(name());
        IdleMode idle = idleMode(options);
        int capacity = RingCapacity.fromOptions(options, maxFrameBytes);
        Path dir = Path.of(options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
        ShmFiles.sweepStale(dir);
        return new ShmAgronaReceiver(RingFile.create(dir, capacity, manyProducers, options.token() != null), idle, options.token());
    }

    @Override
    public final FrameSender openSender(String endpoint, TransportOptions options) {
        AgronaRuntime.require(name());
        IdleMode idle = idleMode(options);
        return ShmAgronaSender.attach(RingFile.attach(Path.of(endpoint), manyProducers), idle, options.token(),
                Deadline.after(ATTACH_TIMEOUT));
    }

    private static IdleMode idleMode(TransportOptions options) {
        IdleMode idle = IdleMode.from(options);
        if (idle == IdleMode.FUTEX && !Futex.available()) {
            throw new BadInputException("idle=futex needs Linux futexes on x86-64 or aarch64, not found on " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + "; choose idle=backoff");
        }
        return idle;
    }
}
