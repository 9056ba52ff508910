package dev.framebench.transport.shm.agrona;

/**
 * {@code shm-agrona-mpsc}: Agrona's {@code ManyToOneRingBuffer} in a shared file, so any number of senders
 * (threads or JVMs) fan in to one receiver through one ring, as the meeting-bot ring did.
 */
public final class ShmAgronaMpscTransport extends AgronaRingTransport {
    static final String NAME = "shm-agrona-mpsc";

    public ShmAgronaMpscTransport() {
        super(true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Agrona ManyToOneRingBuffer in a shared /dev/shm file: many senders fan in to one receiver; each copies into the ring once, receiver reads in place";
    }
}
