package dev.framebench.harness.session;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePreset;
import dev.framebench.frame.Framing;
import dev.framebench.harness.accounting.ProcessTree;
import dev.framebench.harness.python.PythonInterpreter;
import dev.framebench.harness.python.PythonReceiverProcess;
import dev.framebench.harness.python.ReceiverReport;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.websocket.WebSocketOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's receiver: a Python {@code websockets} process ({@link PythonReceiverProcess}) that receives a
 * ws-netty or ws-javaws sender's frames and consumes them there, as {@code consume} says. Each frame it
 * received is a receipt here: a frame-sized read-only segment whose first 64 bytes are the header the Python
 * receiver saw; the rest is a reserved buffer, allocated once and never written, since the frame's bytes
 * stayed in Python and the benchmark reads only the header (ConsumeMode.NONE in this JVM). Its CPU and memory
 * are the Python process's ({@link #processes()}), not this JVM's.
 *
 * <p>Threading: {@link #awaitSender} on one thread, then {@link #receive} and {@link #release} on one.
 */
final class PythonReceiver implements ExternalReceiver {
    private final PythonReceiverProcess python;
    private final String endpoint;
    private final ConsumeMode consume;
    private final Arena arena = Arena.ofAuto();
    private MemorySegment reserved;
    private long receivedNanos;

    private PythonReceiver(PythonReceiverProcess python, String endpoint, ConsumeMode consume, int frameBytes) {
        this.python = python;
        this.endpoint = endpoint;
        this.consume = consume;
        this.reserved = arena.allocate(frameBytes, 64);
    }

    /**
     * Starts the Python receiver for {@code transport}'s senders, consuming each frame there as {@code consume}
     * says; {@code options} hold the run's token. The interpreter is {@code /usr/bin/python3}, or the one
     * {@value PythonInterpreter#ENV} names.
     */
    static PythonReceiver open(Transport transport, FramePreset preset, ConsumeMode consume, TransportOptions options, Duration timeout) {
        return open(transport, preset, consume, options, timeout, PythonInterpreter.fromEnvironment(System.getenv()));
    }

    /** As above, with the interpreter given. */
    static PythonReceiver open(Transport transport, FramePreset preset, ConsumeMode consume, TransportOptions options, Duration timeout,
                               PythonInterpreter interpreter) {
        ReceiverKind.PYTHON.requireSupports(transport, options);
        RunToken token = options.token();
        PythonReceiverProcess python = PythonReceiverProcess.start(interpreter, consume.modeName(), token == null ? null : token.hex(),
                WebSocketOptions.MAX_MESSAGE_BYTES, Framing.MAX_PAYLOAD_BYTES);
        try {
            int port = python.awaitListening(Deadline.after(timeout));
            return new PythonReceiver(python, "127.0.0.1:" + port, consume, preset.frameBytes());
        } catch (RuntimeException e) {
            python.close();
            throw e;
        }
    }

    @Override
    public ProcessTree processes() {
        return new ProcessTree(python.handle(), argv -> "python");
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        python.awaitSenderTaken(deadlineNanos);
    }

    /** The next receipt, sized as the frame the Python receiver consumed; null at the sender's clean close. */
    @Override
    public MemorySegment receive(long deadlineNanos) {
        ByteBuffer receipt = python.nextReceipt(deadlineNanos);
        if (receipt == null) {
            return null;
        }
        MemorySegment body = MemorySegment.ofBuffer(receipt);
        receivedNanos = body.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        MemorySegment header = body.asSlice(ReceiverReport.RECEIPT_HEADER_OFFSET, FrameHeader.LENGTH);
        // The Python receiver checked the framing: the frame it received is exactly header plus payloadLength.
        long frameBytes = FrameHeader.LENGTH + (long) FrameHeader.payloadLength(header);
        if (frameBytes > reserved.byteSize()) {
            reserved = arena.allocate(frameBytes, 64);
        }
        MemorySegment.copy(header, 0, reserved, 0, FrameHeader.LENGTH);
        return reserved.asSlice(0, frameBytes).asReadOnly();
    }

    /** Python's {@code time.monotonic_ns()} at the message's arrival: CLOCK_MONOTONIC, the clock of System.nanoTime on Linux. */
    @Override
    public long receivedNanos() {
        return receivedNanos;
    }

    @Override
    public void release() {
        // The frame was released in Python once consumed; the receipt's segment is overwritten by the next.
    }

    @Override
    public int foreignConnectionsRefused() {
        return python.refused();
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>(python.description());
        d.put("python.consume", consume.modeName());
        return d;
    }

    @Override
    public void close() {
        python.close();
    }

    /** The receiver's process id, for tests that check it is gone. */
    long pid() {
        return python.pid();
    }
}
