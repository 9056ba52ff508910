package dev.framebench.transport.aeron;

import dev.framebench.frame.FramePreset;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import dev.framebench.transport.shm.agrona.AgronaRuntime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code aeron-ipc}: an Aeron 1.50 IPC publication and subscription between the two JVMs, through a media
 * driver embedded in the receiver's JVM whose directory is a private folder of {@code /dev/shm}. One frame
 * is one Aeron message: the sender's {@code offer} copies it into the shared log in fragments, the
 * receiver reassembles it into its own buffer (two copies per frame, no kernel). The endpoint is
 * {@code AERON_DIR|STREAM_ID|CHANNEL} ({@link AeronIpcEndpoint}). With a token the first message of the
 * sender's publication is its 24-byte hello, and the receiver takes the first publication that starts so.
 */
public final class AeronIpcTransport implements Transport {
    static final String NAME = "aeron-ipc";
    static final String DIR = "shm.dir";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Aeron IPC via a media driver embedded in the receiver; copies frame->shared log->reassembly buffer";
    }

    @Override
    public int copiesPerFrame() {
        // The sender's offer copies the frame into the shared log, fragment by fragment; the receiver's fragment
        // assembler copies the fragments into its reassembly buffer, of which receive hands out a view: 2, no kernel.
        return 2;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(DIR, "folder of the driver's private directory, a tmpfs (default " + ShmFiles.DEFAULT_DIR + ")");
        options.put(TermLength.KEY, "term length in bytes, a power of two; messages are at most 1/8 of it"
                + " (default: the smallest that holds the largest frame)");
        return options;
    }

    /**
     * What the driver maps besides the terms: its command-and-control file (1 MiB of buffers by default),
     * the loss report (1 MiB), the log's metadata, and headroom.
     */
    static final long DRIVER_FILES_BYTES = 8L << 20;

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        TermLength.fromOptions(options, maxFrameBytes);
        ShmFiles.folder(DIR, options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        return openReceiver(options, FramePreset.maxFrameBytes());
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options, int maxFrameBytes) {
        AgronaRuntime.require(NAME);
        int termLength = TermLength.fromOptions(options, maxFrameBytes);
        Path dir = Path.of(options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
        // The driver maps its files and the publication's log (three terms) in the folder; a tmpfs that
        // cannot back them kills the JVM with SIGBUS (Agrona's "a fault occurred in an unsafe memory access").
        ShmFiles.requireSpace(dir, 3L * termLength + DRIVER_FILES_BYTES, "lower " + TermLength.KEY + " or set " + DIR + "=DIR");
        return AeronIpcReceiver.open(dir, termLength, maxFrameBytes, options.token());
    }

    @Override
    public FrameSender openSender(String endpoint, TransportOptions options) {
        AgronaRuntime.require(NAME);
        return AeronIpcSender.open(AeronIpcEndpoint.parse(endpoint), options.token());
    }
}
