package dev.framebench.transport.s3;

import dev.framebench.error.TransportException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.StagingBuffer;
import dev.framebench.transport.socket.HandoffChannel;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * The sending end of s3-handoff: PUTs each frame as an object under the receiver's prefix, then announces
 * its name. At most {@code inflight} objects are outstanding (stored, not yet acknowledged as consumed and
 * deleted); a sender out of credit waits for an acknowledgement until its deadline.
 *
 * <p>Threading: one thread.
 */
final class S3HandoffSender implements FrameSender {
    /** How long {@link #close()} waits for the receiver to consume the objects still outstanding. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final HandoffChannel channel;
    private final S3Client client;
    private final S3HandoffEndpoint endpoint;
    private final int inflight;
    private final String receiver;
    /** False for a sender given no token: a 403 from the run's store then means exactly that. */
    private final boolean tokenKnown;
    private final StagingBuffer staging = new StagingBuffer();
    private long objects;

    S3HandoffSender(HandoffChannel channel, S3Client client, S3HandoffEndpoint endpoint, int inflight, String receiver, boolean tokenKnown) {
        this.tokenKnown = tokenKnown;
        this.channel = channel;
        this.client = client;
        this.endpoint = endpoint;
        this.inflight = inflight;
        this.receiver = receiver;
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        return staging.claim(frameBytes, deadlineNanos);
    }

    @Override
    public void commit() {
        staging.commit(this::publish);
    }

    /** PUTs straight from {@code frame}: the client's copy into its request is the only one on this side. */
    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        publish(frame, deadlineNanos);
    }

    private void publish(MemorySegment frame, long deadlineNanos) {
        channel.awaitRoom(inflight, deadlineNanos, receiver);
        String name = "f" + (++objects);
        String key = endpoint.prefix() + name;
        long length = frame.byteSize();
        try {
            client.putObject(PutObjectRequest.builder().bucket(endpoint.bucket()).key(key).contentLength(length)
                            .overrideConfiguration(o -> o.apiCallTimeout(remaining(deadlineNanos))).build(),
                    RequestBody.fromContentProvider(() -> new SegmentInputStream(frame), length, CONTENT_TYPE));
        } catch (SdkException e) {
            Deadline.check(deadlineNanos, "the PUT of object " + key);
            TransportException failed = ObjectStoreClient.failed("PUT " + key, endpoint, e);
            if (!tokenKnown && e instanceof S3Exception s3 && s3.statusCode() == 403) {
                throw new TransportException(failed.getMessage() + "; the run's store takes only senders given the run's token=HEX", e);
            }
            throw failed;
        }
        try {
            channel.announce(name, deadlineNanos);
        } catch (RuntimeException e) {
            // Announced to no one: take the object back rather than leave it in the bucket.
            deleteQuietly(key);
            throw e;
        }
    }

    private void deleteQuietly(String key) {
        try {
            client.deleteObject(DeleteObjectRequest.builder().bucket(endpoint.bucket()).key(key).build());
        } catch (SdkException e) {
            // The receiver deletes what is left under its prefix when it closes.
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, Deadline.remainingNanos(deadlineNanos)));
    }

    /** Ends the stream after the last announcement and collects what is still owed ({@link HandoffChannel#finish}). */
    @Override
    public void close() {
        channel.finish(CLOSE_TIMEOUT);
        client.close();
        staging.close();
    }
}
