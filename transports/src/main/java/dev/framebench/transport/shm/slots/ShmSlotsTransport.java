package dev.framebench.transport.shm.slots;

import dev.framebench.error.BadInputException;
import dev.framebench.frame.FramePreset;
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
 * {@code shm-slots}: zero copies. Frame-sized slots in a shared-memory file that both JVMs map with
 * {@code java.lang.foreign}, laid out as {@link ShmSlotsDescriptor} draws it; the sender writes a frame in
 * place in a free slot and publishes the slot's index on a small SPSC queue, the receiver reads it in place
 * and returns the slot on a second SPSC queue (the design of iceoryx and eCAL's zero-copy mode). The sender
 * lends its slots ({@link FrameSender#lentFrames}), so the harness renders its pictures into them once and
 * per frame only stamps the header: no payload byte moves. How a side waits when the other is behind is the
 * {@code idle} option, as on the rings.
 */
public final class ShmSlotsTransport implements Transport {
    static final String DIR = "shm.dir";
    static final String SLOTS = "slots";
    /** The file name's kind: {@code framebench-slots-<pid>-<n>}. */
    static final String FILE_KIND = "slots";
    /** How long a sender given a token waits to be accepted, as the rings' senders do. */
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "shm-slots";
    }

    @Override
    public String description() {
        return "frame-sized slots in a /dev/shm file mapped by both JVMs, slot indices through two SPSC queues;"
                + " zero copies: the sender renders in place, the receiver reads in place";
    }

    @Override
    public int copiesPerFrame() {
        return 0;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(DIR, "folder of the slots file, a tmpfs (default " + ShmFiles.DEFAULT_DIR + ")");
        options.put(SLOTS, "frame slots, " + ShmSlotsDescriptor.MIN_SLOTS + ".." + ShmSlotsDescriptor.MAX_SLOTS
                + " (default " + ShmSlotsDescriptor.DEFAULT_SLOTS + ", a sender's pool of pictures); each holds the largest frame");
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
        int slotCount = slotCount(options);
        long slotBytes = slotBytes(maxFrameBytes);
        Path dir = Path.of(options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
        ShmFiles.sweepStale(dir);
        Path file = ShmFiles.createFile(dir, FILE_KIND, ShmSlotsDescriptor.fileBytes(slotCount, slotBytes),
                "lower " + SLOTS + " (" + slotCount + " slots of " + slotBytes + " bytes) or set " + DIR + "=DIR");
        try {
            return new ShmSlotsReceiver(ShmSlots.create(file, slotCount, slotBytes, options.token() != null), idle, options.token());
        } catch (RuntimeException e) {
            ShmFiles.delete(file);
            throw e;
        }
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        return ShmSlotsSender.attach(Path.of(endpoint), idleMode(options), options.token(), Deadline.after(ATTACH_TIMEOUT));
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        idleMode(options);
        slotCount(options);
        slotBytes(maxFrameBytes);
        ShmFiles.folder(DIR, options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
    }

    static int slotCount(TransportOptions options) {
        return options.getInt(SLOTS, ShmSlotsDescriptor.DEFAULT_SLOTS, ShmSlotsDescriptor.MIN_SLOTS, ShmSlotsDescriptor.MAX_SLOTS);
    }

    /** The slot size for frames of at most {@code maxFrameBytes}: whole pages. */
    static long slotBytes(int maxFrameBytes) {
        long slotBytes = ShmSlotsDescriptor.slotBytesFor(maxFrameBytes);
        if (!ShmSlotsDescriptor.isValidSlotBytes(slotBytes)) {
            throw new BadInputException("frames of maxFrameBytes=" + maxFrameBytes + " need slots of slotBytes=" + slotBytes
                    + ", above the largest of " + ShmSlotsDescriptor.MAX_SLOT_BYTES + "; send smaller frames");
        }
        return slotBytes;
    }

    private static IdleMode idleMode(TransportOptions options) {
        IdleMode idle = IdleMode.from(options);
        if (idle == IdleMode.FUTEX && !Futex.available()) {
            throw new BadInputException("idle=futex needs Linux futexes on x86-64 or aarch64, not found here; choose idle=backoff");
        }
        return idle;
    }
}
