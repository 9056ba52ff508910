package dev.framebench.harness.session;

import dev.framebench.harness.peer.SenderStats;

import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The sending side of one trial, wherever it runs: sender peer JVMs ({@link PeerSenders}) or, for
 * transports that are single-process by design, sender threads of this JVM ({@link ThreadSenders}).
 * Sessions start it, stop it, charge its CPU and memory, and ask it what became of it; they never ask
 * which kind it is, except to charge CPU ({@link #inReceiverJvm()}).
 *
 * @implSpec Opening returns once every sender has connected to its receiver. {@link #start()} once, then
 * {@link #stop()} and {@link #awaitStats(long)} at a clean end, {@link #close(boolean)} always. The
 * accounting reads ({@link #cpuNanos()}, {@link #peakRssBytes()}, {@link #fate(long)}) may come from any
 * thread at any time.
 */
public interface SenderSide {
    /** Begins every stream. */
    void start();

    /** Asks every stream to finish the frame in hand and end cleanly. */
    void stop();

    /** After {@link #stop()}: the senders' stats once they ended cleanly, summed; fails at the deadline. */
    SenderStats awaitStats(long deadlineNanos);

    /** User+system CPU of every sender so far; -1 once one cannot be read (a sender that is gone). */
    long cpuNanos();

    /** VmHWM summed over the sender processes; 0 when the senders are threads of the receiver's JVM. */
    long peakRssBytes();

    /**
     * CPU of the senders so far by kind of process ("browser", "renderer", "network", ...), ns, for senders
     * that are several processes of different kinds (a browser); empty when the senders are all alike.
     */
    default Map<String, Long> cpuNanosByProcessKind() {
        return Map.of();
    }

    /** True when the senders are threads of this JVM: the receiver's CPU is then this JVM's less theirs. */
    boolean inReceiverJvm();

    /** Sender processes of the trial (0 for threads). */
    int processes();

    /** False once any sender has ended (cleanly or not). */
    boolean alive();

    /**
     * What became of a sender that is gone, as a clause ending in ": " ("sender JVM pid 12 was killed by
     * signal 9 (SIGKILL): "), waiting up to {@code waitMillis} for one that is exiting; empty while all run.
     */
    String fate(long waitMillis);

    /** Sends a flame-graph command to the one sender JVM and returns its reply. */
    String profile(String command, long deadlineNanos);

    /** "jvm pid N" (or "jvm pids N, M") or "thread": what {@code describe()} of a session records. */
    String describe();

    /** The sender in a message: "sender JVM pid N" (or "sender JVMs pids N, M") or "sender thread". */
    String who();

    /** Releases everything: waits up to {@code graceMillis} for senders that are ending cleanly, then kills. */
    void close(long graceMillis);

    /** The sum of {@code cpuOf} over {@code senders}; -1 as soon as one cannot be read (a sender that is gone). */
    static <T> long sumCpuNanos(List<T> senders, ToLongFunction<T> cpuOf) {
        long sum = 0;
        for (T sender : senders) {
            long cpu = cpuOf.applyAsLong(sender);
            if (cpu < 0) {
                return -1;
            }
            sum += cpu;
        }
        return sum;
    }
}
