package dev.framebench.harness.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The reading thread of a memory baseline ({@link ReadOnlyBaseline}, the reader of {@link CopyReadBaseline}):
 * the bytes it has read, which JMH divides by the iteration's time (an operations counter), so the figure
 * {@code readBytes} reads as bytes/s ({@link ReadOnlyBaseline#READ_BYTES}); and its place in the rotation of
 * frames it reads. JMH takes no other public field here, so the name's constant lives with the benchmarks.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class BytesRead {
    public long readBytes;
    /** The next frame to read, modulo the reader's frames. */
    int next;

    @Setup(Level.Iteration)
    public void reset() {
        readBytes = 0;
    }
}
