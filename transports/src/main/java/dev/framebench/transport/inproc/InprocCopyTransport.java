package dev.framebench.transport.inproc;

/** {@code inproc-copy}: one memcpy per frame, sender thread to receiver thread of one JVM. */
public final class InprocCopyTransport extends InprocTransport {
    public InprocCopyTransport() {
        super(false);
    }

    @Override
    public String name() {
        return "inproc-copy";
    }

    @Override
    public String description() {
        return "ceiling: threads of one JVM, the sender's frame copied once into a receiver buffer (1 memcpy)";
    }
}
