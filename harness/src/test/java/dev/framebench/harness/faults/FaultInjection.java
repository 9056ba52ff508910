package dev.framebench.harness.faults;

import dev.framebench.harness.peer.SenderHook;
import dev.framebench.transport.FrameSender;

/**
 * TEST ONLY: the fault suite's {@link SenderHook}, registered in the test class path's
 * {@code META-INF/services}, so it reaches every sender the tests start (sender peer JVMs inherit the
 * test class path) and no sender of benchmarks.jar. It corrupts one frame as the system property
 * {@value SenderFault#PROPERTY} says, read when each sender opens.
 */
public final class FaultInjection implements SenderHook {
    @Override
    public FrameSender wrap(FrameSender sender) {
        return SenderFault.wrap(sender, SenderFault.fromSystemProperty());
    }

    @Override
    public void validate() {
        SenderFault.fromSystemProperty();
    }

    @Override
    public boolean active() {
        String peerArgs = System.getProperty("framebench.peer.jvmArgs", "");
        return System.getProperty(SenderFault.PROPERTY) != null || peerArgs.contains(SenderFault.PROPERTY);
    }

    @Override
    public String describe() {
        return "the test-only fault injection " + SenderFault.PROPERTY;
    }
}
