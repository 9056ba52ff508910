package dev.framebench.transport;

import java.util.Map;

/**
 * One way of moving frames from a sender to a receiver: the system under test.
 *
 * @implSpec The receiver is opened first and binds or creates whatever the sender needs, then tells it
 * as an endpoint string; the sender is opened with that string, usually in another JVM. Both ends carry
 * the frame format of docs/WIRE.md unchanged: what {@link FrameSender#commit()} publishes is what
 * {@link FrameReceiver#receive(long)} returns, byte for byte, in order, once. Implementations are
 * stateless and thread-safe; the objects they open are used by one thread each.
 */
public interface Transport {
    /** The registry name, as given to {@code --transport} and JMH's {@code transport} parameter. */
    String name();

    /** One line for {@code --help}: what it is and what it copies. */
    String description();

    /**
     * True when sender and receiver are threads of one JVM by design (the inproc ceilings); the harness
     * then runs the sender as a thread instead of a second JVM.
     */
    default boolean singleProcess() {
        return false;
    }

    /**
     * True when one receiver takes frames from any number of senders at once (a many-producer ring):
     * streams then fan in, their frames interleaved, each stream in order. Otherwise a receiver has one
     * sender and refuses the next.
     */
    default boolean fanIn() {
        return false;
    }

    /**
     * How many times each frame's bytes are copied between the sender's memory and the receiver's view, by
     * design: 0 for a hand-off in place (inproc-handoff, a zero-copy ring), 1 for one memcpy (inproc-copy, a
     * ring the sender copies into), 2 through a kernel socket (into the kernel, out of it). The report picks
     * the memory-bandwidth limit that applies to a transport's row from it (docs/METHOD.md, "Memory limits"):
     * copy+read for one or more copies while the receiver reads, read-only for none. The default, 1, is the least a transport that copies can do.
     */
    default int copiesPerFrame() {
        return 1;
    }

    /**
     * The option keys this transport reads, each with a line of help that names its default; the
     * {@link TransportOptions#UNIVERSAL} keys ({@value RunToken#KEY}), which every transport reads, are not
     * listed here.
     *
     * @implSpec Every transport honours {@value RunToken#KEY}: its sender presents the run's
     * {@link dev.framebench.frame.SenderHello} before its first frame; its receiver takes only a sender that
     * presents it, refuses every other connection or claim (counted in
     * {@link FrameReceiver#foreignConnectionsRefused()}) and keeps waiting for its sender until the deadline
     * of {@link FrameReceiver#awaitSender}. Without a token the receiver takes the first sender, and skips a
     * hello that sender presents.
     */
    Map<String, String> options();

    /**
     * Checks the value of every option this transport reads, as opening a receiver for frames of at most
     * {@code maxFrameBytes} and a sender would read them, without binding, creating or opening anything: a run
     * calls it for every transport and frame it plans before its first benchmark, so a bad value fails the run
     * at once instead of after the benchmarks before it.
     *
     * @implSpec Throws {@link dev.framebench.error.BadInputException} naming the key, the value and what is
     * allowed, as the open methods would. Checks that depend on the moment of opening (a free port, free room
     * in a tmpfs, a stale socket file) stay with the open methods; a transport whose frames go to a store
     * outside the run may ask it, read-only, whether it can be used (s3-handoff with {@code s3.bucket}: one
     * HEAD of the bucket), since a missing bucket or refused credentials are bad input too. The default checks nothing, for a transport
     * that reads no options; one that reads options overrides it.
     */
    default void validate(TransportOptions options, int maxFrameBytes) {
    }

    FrameReceiver openReceiver(TransportOptions options);

    /**
     * Opens a receiver that will be sent frames of at most {@code maxFrameBytes} (header included), so
     * that a transport with fixed-size memory (a ring) can size it by default. The harness always calls
     * this one; transports that size nothing up front keep the default.
     */
    default FrameReceiver openReceiver(TransportOptions options, int maxFrameBytes) {
        return openReceiver(options);
    }

    FrameSender openSender(String endpoint, TransportOptions options);
}
