package dev.framebench.harness.session;

import dev.framebench.frame.FrameConsumer;
import dev.framebench.frame.FrameHeader;
import dev.framebench.transport.FrameReceiver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;

/**
 * The receiving thread of one paced stream (or, fanned in, of every stream through one receiver): takes each frame from its transport receiver, notes the
 * receive time at once, consumes and releases the frame, and records {@code latency = receive time -
 * intended send time} (both {@link System#nanoTime()}, CLOCK_MONOTONIC on one host) in nanoseconds.
 *
 * <p>Counts a frame <em>late</em> when its latency exceeds one frame interval (it arrived after the next
 * one was due) and <em>dropped</em> for every sequence number that never arrived. Recording can be
 * paused ({@link #recording}) so that the drain at the end of a trial is not measured.
 *
 * <p>Threading: {@link #run()} on one thread, the only writer of the recorder and counters (the
 * recorder's "single writer"); {@link #intervalHistogram(Histogram)} and the counters from any thread.
 */
final class StreamReceiver implements Runnable {
    /** One hour in ns: far beyond any deadline, so no latency is ever out of range. */
    static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;
    /** Three significant digits: 0.1% resolution at every magnitude, about 200 KB per histogram. */
    static final int SIGNIFICANT_DIGITS = 3;

    private final int streamId;
    /** Next sequence expected of each stream id of the run: one slot used per stream, all of them fanned in. */
    private final long[] expectedSequences;
    private final FrameReceiver receiver;
    private final FrameConsumer consumer;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Semaphore arrivals;
    private final ReceiverStall stall;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    volatile boolean recording = true;
    private volatile boolean ended;
    private volatile Throwable failure;
    private volatile long frames;
    private volatile long bytes;
    private volatile long late;
    private volatile long dropped;
    /** The consumer's result, stored to a field on every frame: a heap store the JIT must keep, so it cannot drop the reads. */
    private long sink;

    /** @param streamId the stream this thread receives, or -1 when every stream fans in to it */
    StreamReceiver(int streamId, int streamsInRun, FrameReceiver receiver, FrameConsumer consumer, long intervalNanos, long timeoutNanos,
                   Semaphore arrivals, ReceiverStall stall) {
        this.streamId = streamId;
        this.expectedSequences = new long[streamsInRun];
        this.receiver = receiver;
        this.consumer = consumer;
        this.intervalNanos = intervalNanos;
        this.timeoutNanos = timeoutNanos;
        this.arrivals = arrivals;
        this.stall = stall;
    }

    @Override
    public void run() {
        final FrameReceiver receiver = this.receiver;
        final long[] expectedSequences = this.expectedSequences;
        long received = 0;
        try {
            while (true) {
                MemorySegment frame = receiver.receive(System.nanoTime() + timeoutNanos);
                long receivedNanos = System.nanoTime();
                if (frame == null) {
                    break;
                }
                if (receiver instanceof ExternalReceiver external) {
                    // The frame arrived in the receiver's process; its receipt reached this JVM later.
                    receivedNanos = external.receivedNanos();
                }
                long sequence = FrameHeader.sequence(frame);
                int stream = FrameHeader.streamId(frame);
                if (stream < 0 || stream >= expectedSequences.length || (streamId >= 0 && stream != streamId)) {
                    throw new IllegalStateException("frame of stream " + stream + " on the receiver of " + (streamId < 0 ? "streams 0.."
                            + (expectedSequences.length - 1) : "stream " + streamId));
                }
                long latencyNanos = Math.min(Math.max(0, receivedNanos - FrameHeader.sendTimeNanos(frame)), HIGHEST_TRACKABLE_NANOS);
                long frameBytes = frame.byteSize();
                sink ^= consumer.consume(frame);
                receiver.release();
                if (recording) {
                    recorder.recordValue(latencyNanos);
                    if (latencyNanos > intervalNanos) {
                        late++;
                    }
                    if (sequence > expectedSequences[stream]) {
                        dropped += sequence - expectedSequences[stream];
                    }
                    received++;
                    // Volatile stores, once per multi-megabyte frame: the profiler's thread reads them.
                    frames = received;
                    bytes += frameBytes;
                }
                expectedSequences[stream] = sequence + 1;
                arrivals.release();
                stall.afterFrame(stream, sequence);
            }
        } catch (Throwable t) {
            failure = t;
            // Wakes a benchmark thread waiting for an arrival, so the failure surfaces now, not at its deadline.
            arrivals.release();
        } finally {
            ended = true;
        }
    }

    int streamId() {
        return streamId;
    }

    long frames() {
        return frames;
    }

    long bytes() {
        return bytes;
    }

    long late() {
        return late;
    }

    long dropped() {
        return dropped;
    }

    boolean ended() {
        return ended;
    }

    Throwable failure() {
        return failure;
    }

    /** Adds what was recorded since the last call to {@code into}, and starts a new interval. */
    void intervalHistogramInto(Histogram into) {
        into.add(recorder.getIntervalHistogram());
    }
}
