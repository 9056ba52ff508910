package dev.framebench.transport.s3;

import dev.framebench.error.TransportException;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.socket.HandoffChannel;
import dev.framebench.transport.socket.SenderGate;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The receiving end of s3-handoff: for each announced name it GETs the object under its prefix into a
 * buffer of its own, DELETEs it, acknowledges it (one credit back to the sender) and hands out a read-only
 * view of the bytes, valid until {@link #release()}. Three requests per frame: the sender's PUT, this GET
 * and this DELETE, as a service that passes frames through S3 makes.
 *
 * <p>It owns what it made for the run: the store (when it started S3Proxy), the bucket (when it created
 * one) and every object under its prefix; {@link #close()} deletes what is left and stops the store.
 *
 * <p>Its sender is the one connection its {@link SenderGate} chooses, as for file-handoff; a stranger that
 * can reach the store still cannot make this receiver read an object: it reads only names its sender
 * announced, under its own prefix.
 *
 * <p>Threading: one thread calls {@link #awaitSender}, {@link #receive} and {@link #release}; {@link #close()}
 * may come from another once that one is done.
 */
final class S3HandoffReceiver implements FrameReceiver {
    private static final Duration CLEAN_UP_TIMEOUT = Duration.ofSeconds(10);
    /** How long a failed request waits to learn whether the store died (its exit is reaped a moment after its sockets close). */
    private static final long STORE_EXIT_WAIT_MILLIS = 500;

    private final SenderGate gate;
    private final boolean tokenless;
    private final S3HandoffEndpoint endpoint;
    private final S3Client client;
    private final S3ProxyStore store;
    private final boolean ownsBucket;
    private final byte[] buffer;
    private final Map<String, String> description;
    private HandoffChannel channel;
    private boolean closed;

    /** Takes ownership of {@code server}, {@code client} and {@code store} (may be null): all are closed by {@link #close()}. */
    S3HandoffReceiver(ServerSocketChannel server, S3HandoffEndpoint endpoint, S3Client client, S3ProxyStore store, boolean ownsBucket,
                      int maxFrameBytes, Map<String, String> description, RunToken token) {
        this.endpoint = endpoint;
        this.client = client;
        this.store = store;
        this.ownsBucket = ownsBucket;
        this.buffer = new byte[maxFrameBytes];
        this.description = Map.copyOf(description);
        this.gate = SenderGate.open(server, "s3-handoff", "s3-handoff://" + endpoint, token, null);
        this.tokenless = token == null;
    }

    @Override
    public String endpoint() {
        return endpoint.toString();
    }

    @Override
    public void awaitSender(long deadlineNanos) {
        if (channel != null) {
            return;
        }
        channel = HandoffChannel.accepted(gate.awaitSender(deadlineNanos), "s3-handoff://" + endpoint, tokenless);
    }

    @Override
    public MemorySegment receive(long deadlineNanos) {
        awaitSender(deadlineNanos);
        String name;
        try {
            name = channel.nextAnnouncement(deadlineNanos);
        } catch (TransportException e) {
            // A store that died fails the sender's PUT first, so its connection breaks here: say the cause.
            throw storeGone(e);
        }
        if (name == null) {
            return null;
        }
        String key = endpoint.prefix() + name;
        int length = get(key, deadlineNanos);
        try {
            client.deleteObject(DeleteObjectRequest.builder().bucket(endpoint.bucket()).key(key)
                    .overrideConfiguration(o -> o.apiCallTimeout(remaining(deadlineNanos))).build());
        } catch (SdkException e) {
            Deadline.check(deadlineNanos, "the DELETE of object " + key);
            throw storeGone(ObjectStoreClient.failed("DELETE " + key, endpoint, e));
        }
        // Acknowledged once the object is gone, not at release: credit counts objects in the bucket.
        channel.acknowledge(deadlineNanos);
        return MemorySegment.ofArray(buffer).asSlice(0, length).asReadOnly();
    }

    /** {@code e}, led by the store's death when the store this receiver started has exited. */
    private TransportException storeGone(TransportException e) {
        if (store == null || !store.exitedWithin(STORE_EXIT_WAIT_MILLIS)) {
            return e;
        }
        return new TransportException("s3-handoff's store (" + store.describe() + ") has exited; " + e.getMessage(), e);
    }

    /** GETs {@code key} into the buffer; its length, checked to fit. */
    private int get(String key, long deadlineNanos) {
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(GetObjectRequest.builder().bucket(endpoint.bucket()).key(key)
                .overrideConfiguration(o -> o.apiCallTimeout(remaining(deadlineNanos))).build())) {
            long length = in.response().contentLength();
            if (length <= 0 || length > buffer.length) {
                throw new TransportException("object " + key + " in " + ObjectStoreClient.where(endpoint) + " is " + length
                        + " bytes; a frame of this run is 1 to " + buffer.length + " bytes");
            }
            int read = in.readNBytes(buffer, 0, (int) length);
            if (read != length) {
                throw new TransportException("object " + key + " ended after " + read + " of its " + length + " bytes");
            }
            return read;
        } catch (SdkException e) {
            Deadline.check(deadlineNanos, "the GET of object " + key);
            throw storeGone(ObjectStoreClient.failed("GET " + key, endpoint, e));
        } catch (IOException e) {
            throw storeGone(new TransportException("reading object " + key + " from " + ObjectStoreClient.where(endpoint) + " failed: "
                    + e.getMessage(), e));
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, Deadline.remainingNanos(deadlineNanos)));
    }

    @Override
    public void release() {
        // The buffer is reused by the next receive; the object was acknowledged when it was deleted.
    }

    @Override
    public int foreignConnectionsRefused() {
        return gate.refused();
    }

    @Override
    public Map<String, String> describe() {
        return description;
    }

    /** The store's JVM when this receiver started one: a third process, measured apart from both ends. */
    @Override
    public List<ProcessHandle> storageProcesses() {
        return store == null ? List.of() : List.of(store.process());
    }

    /** Deletes every object left under the prefix and the bucket it created, then stops the store; again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.close();
        if (channel != null) {
            channel.close();
        }
        try {
            if (store == null || store.alive()) {
                deleteLeftovers();
            }
        } finally {
            client.close();
            if (store != null) {
                store.close();
            }
        }
    }

    private void deleteLeftovers() {
        long deadlineNanos = Deadline.after(CLEAN_UP_TIMEOUT);
        try {
            // A sender writing as the connection closed may store one more object: it takes back what it
            // cannot announce, so a second listing moments later finds the prefix empty.
            for (int pass = 0; pass < 3 && !Deadline.expired(deadlineNanos); pass++) {
                List<S3Object> left = client.listObjectsV2(ListObjectsV2Request.builder().bucket(endpoint.bucket())
                        .prefix(endpoint.prefix()).build()).contents();
                for (S3Object object : left) {
                    client.deleteObject(DeleteObjectRequest.builder().bucket(endpoint.bucket()).key(object.key()).build());
                }
                if (left.isEmpty() && pass > 0) {
                    break;
                }
                Thread.sleep(20);
            }
            if (ownsBucket) {
                client.deleteBucket(DeleteBucketRequest.builder().bucket(endpoint.bucket()).build());
            }
        } catch (SdkException e) {
            System.err.println("framebench: s3-handoff could not clean up " + ObjectStoreClient.where(endpoint) + " prefix "
                    + endpoint.prefix() + ": " + ObjectStoreClient.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
