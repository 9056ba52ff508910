package dev.framebench.harness.session;

import dev.framebench.error.TransportException;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.ProcessTree;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/** STUB (to be built): the seed's receiver, a Python websockets process. */
final class PythonReceiver implements ExternalReceiver {
    private PythonReceiver() {
    }

    /**
     * Starts the Python receiver for {@code transport}'s senders, consuming each frame there as {@code consume}
     * says; {@code options} hold the run's token.
     */
    static PythonReceiver open(Transport transport, FramePreset preset, ConsumeMode consume, TransportOptions options, Duration timeout) {
        throw new TransportException("the python receiver is not built yet");
    }

    @Override public ProcessTree processes() { throw new UnsupportedOperationException(); }
    @Override public String endpoint() { throw new UnsupportedOperationException(); }
    @Override public void awaitSender(long deadlineNanos) { throw new UnsupportedOperationException(); }
    @Override public MemorySegment receive(long deadlineNanos) { throw new UnsupportedOperationException(); }
    @Override public void release() { }
    @Override public void close() { }
}
