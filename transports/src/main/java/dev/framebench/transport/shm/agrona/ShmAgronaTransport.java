package dev.framebench.transport.shm.agrona;

/** {@code shm-agrona}: Agrona's single-producer single-consumer {@code OneToOneRingBuffer} in a shared file. */
public final class ShmAgronaTransport extends AgronaRingTransport {
    static final String NAME = "shm-agrona";

    public ShmAgronaTransport() {
        super(false);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Agrona OneToOneRingBuffer in a shared /dev/shm file; sender copies into the ring once, receiver reads in place";
    }
}
