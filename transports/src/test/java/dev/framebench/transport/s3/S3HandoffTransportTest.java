package dev.framebench.transport.s3;

import dev.framebench.error.BadInputException;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * s3-handoff against a real S3Proxy on loopback, started here as an outside store would be: a bucket of
 * someone else's (s3.bucket with s3.endpoint), the bad input of an outside store (unreachable, no bucket,
 * refused credentials: one line each, before anything is opened), and what the receiver leaves behind. The
 * credentials reach the SDK's default chain through its system properties, its first provider, so the chain
 * never asks anything else (no instance-metadata request leaves the machine).
 */
class S3HandoffTransportTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef01234567";
    private static final S3HandoffTransport TRANSPORT = new S3HandoffTransport();
    private static S3ProxyStore store;

    @BeforeAll
    static void startOutsideStore() {
        store = S3ProxyStore.start(S3ProxyJar.locate(TransportOptions.NONE), ShmFiles.DEFAULT_DIR, "memory", S3HandoffEndpoint.RUN_IDENTITY, SECRET);
        useCredentials(SECRET);
        try (S3Client client = ObjectStoreClient.open(endpoint("frames"), null, S3HandoffTransport.CHECKSUMS_WHEN_REQUIRED)) {
            client.createBucket(CreateBucketRequest.builder().bucket("frames").build());
        }
    }

    @AfterAll
    static void stopOutsideStore() {
        if (store != null) {
            ProcessHandle process = store.process();
            store.close();
            assertFalse(process.isAlive(), "the store's JVM outlived close()");
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void framesCrossThroughABucketOfAnOutsideStoreAndNothingIsLeftUnderThePrefix() throws Exception {
        useCredentials(SECRET);
        TransportOptions options = outside("frames");
        FramePreset preset = FramePreset.byName("720p-i420");
        try (FrameReceiver receiver = TRANSPORT.openReceiver(options, preset.frameBytes())) {
            assertEquals(List.of(), receiver.storageProcesses(), "an outside store is no process of the run");
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try (FrameSender sender = TRANSPORT.openSender(receiver.endpoint(), options); FramePool pool = new FramePool(preset, 2)) {
                    for (long seq = 0; seq < 10; seq++) {
                        sender.send(pool.stamp(0, seq, seq), Deadline.after(Duration.ofSeconds(30)));
                    }
                }
            });
            long deadline = Deadline.after(Duration.ofSeconds(30));
            receiver.awaitSender(deadline);
            for (int i = 0; i < 10; i++) {
                MemorySegment frame = receiver.receive(deadline);
                assertNotNull(frame, "frame " + i);
                assertEquals(preset.frameBytes(), frame.byteSize());
                receiver.release();
            }
            assertNull(receiver.receive(deadline), "a clean end of stream");
            sending.get(30, TimeUnit.SECONDS);
        }
        try (S3Client client = ObjectStoreClient.open(endpoint("frames"), null, S3HandoffTransport.CHECKSUMS_WHEN_REQUIRED)) {
            assertEquals(List.of(), client.listObjectsV2(ListObjectsV2Request.builder().bucket("frames").build()).contents(),
                    "objects left in the outside bucket");
        }
    }

    @Test
    void anUnreachableEndpointIsBadInputBeforeTheRun() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        TransportOptions options = TransportOptions.parse("s3.bucket=frames;s3.endpoint=http://127.0.0.1:" + closed);
        BadInputException e = assertThrows(BadInputException.class, () -> TRANSPORT.validate(options, 1 << 20));
        assertTrue(e.getMessage().startsWith("s3-handoff cannot reach bucket frames at http://127.0.0.1:" + closed + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; check s3.endpoint and s3.region"), e.getMessage());
    }

    @Test
    void aMissingBucketIsBadInputNamingIt() {
        useCredentials(SECRET);
        BadInputException e = assertThrows(BadInputException.class, () -> TRANSPORT.validate(outside("no-such-frames"), 1 << 20));
        assertEquals("s3-handoff cannot use bucket no-such-frames at " + store.endpoint()
                + " (HTTP 404): no such bucket; create it, or name one that exists with s3.bucket=NAME", e.getMessage());
    }

    @Test
    void refusedCredentialsAreBadInputSayingHowToFixThem() {
        useCredentials("not-the-secret");
        try {
            BadInputException e = assertThrows(BadInputException.class, () -> TRANSPORT.validate(outside("frames"), 1 << 20));
            assertEquals("s3-handoff cannot use bucket frames at " + store.endpoint() + " (HTTP 403): the credentials were refused; "
                    + "fix the AWS SDK's default chain (AWS_PROFILE, ~/.aws/credentials, the instance role)", e.getMessage());
        } finally {
            useCredentials(SECRET);
        }
    }

    @Test
    void theRunsStoreStopsAndItsFolderGoesWithTheReceiver() {
        Path parent = ShmFiles.DEFAULT_DIR;
        FrameReceiver receiver = TRANSPORT.openReceiver(TransportOptions.parse("token=" + RunToken.random().hex()), 1 << 20);
        List<ProcessHandle> stores = receiver.storageProcesses();
        assertEquals(1, stores.size());
        assertTrue(stores.getFirst().isAlive());
        String bucket = receiver.describe().get("bucket");
        assertTrue(receiver.endpoint().endsWith("|run"), "the secret stays off the endpoint with a token: " + receiver.endpoint());
        receiver.close();
        assertFalse(stores.getFirst().isAlive(), "the store outlived its receiver");
        String pid = Long.toString(ProcessHandle.current().pid());
        try (var left = Files.list(parent)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("framebench-s3-" + pid + "-") && !n.equals(storeFolderName())).toList(), "store folders left for " + bucket);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theEndpointRoundTripsAndTheRunSecretFollowsTheToken() {
        S3HandoffEndpoint endpoint = S3HandoffEndpoint.parse("127.0.0.1:40123|http://127.0.0.1:39001|us-east-1|framebench-4242-1|f/|run");
        assertEquals("127.0.0.1:40123|http://127.0.0.1:39001|us-east-1|framebench-4242-1|f/|run", endpoint.toString());
        assertNull(S3HandoffEndpoint.parse("127.0.0.1:1|-|eu-west-1|b|p/|default").store(), "- is AWS S3 itself");
        assertThrows(BadInputException.class, () -> S3HandoffEndpoint.parse("127.0.0.1:1|x|y"));
        RunToken token = RunToken.random();
        assertEquals(ObjectStoreClient.secretOf(token), ObjectStoreClient.secretOf(RunToken.parse(token.hex())));
        assertEquals(40, ObjectStoreClient.secretOf(token).length());
    }

    private static String storeFolderName() {
        // The outside store of this class lives until @AfterAll: its folder is the one expected.
        try (var entries = Files.list(ShmFiles.DEFAULT_DIR)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("framebench-s3-" + ProcessHandle.current().pid() + "-")).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static TransportOptions outside(String bucket) {
        // S3Proxy takes no trailing checksums (gaul/s3proxy#795): as an outside store it needs when-required too.
        return TransportOptions.parse("s3.bucket=" + bucket + ";s3.endpoint=" + store.endpoint() + ";s3.checksums=when-required");
    }

    private static S3HandoffEndpoint endpoint(String bucket) {
        return new S3HandoffEndpoint(new InetSocketAddress(0), store.endpoint(), "us-east-1", bucket, "", S3HandoffEndpoint.AUTH_DEFAULT);
    }

    private static void useCredentials(String secret) {
        System.setProperty("aws.accessKeyId", S3HandoffEndpoint.RUN_IDENTITY);
        System.setProperty("aws.secretAccessKey", secret);
    }
}
