package dev.framebench.transport.inproc;

/** {@code inproc-handoff}: zero copies, a frame reference changes hands between threads of one JVM. */
public final class InprocHandoffTransport extends InprocTransport {
    public InprocHandoffTransport() {
        super(true);
    }

    @Override
    public String name() {
        return "inproc-handoff";
    }

    @Override
    public String description() {
        return "ceiling: threads of one JVM, the sender's frame reference handed over (0 copies)";
    }
}
