package dev.framebench.transport.s3;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.shm.ShmFiles;
import dev.framebench.transport.socket.ChannelIo;
import dev.framebench.transport.socket.HandoffChannel;
import dev.framebench.transport.socket.InetAddresses;
import dev.framebench.transport.socket.IoMode;
import dev.framebench.transport.socket.Sockets;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@code s3-handoff}: frames passed between services through an object store over the S3 API, the seed's
 * storage hand-off measured for real. The sender PUTs each frame as an object with the AWS SDK for Java v2
 * and announces its name on a loopback TCP connection ({@link HandoffChannel}, as file-handoff); the
 * receiver GETs it, DELETEs it and acknowledges it. At most {@code s3.inflight} objects are outstanding.
 *
 * <p>The store: by default S3Proxy, started by the receiver on loopback in a JVM of its own
 * ({@link S3ProxyStore}), whose CPU and memory the harness reports as a third party; with
 * {@code s3.bucket=NAME} a real bucket (AWS S3 in {@code s3.region}, or the S3-compatible store at
 * {@code s3.endpoint}), with credentials from the SDK's default chain. Endpoint: {@link S3HandoffEndpoint}.
 */
public final class S3HandoffTransport implements Transport {
    static final String LISTEN = "listen";
    static final String BUCKET = "s3.bucket";
    static final String REGION = "s3.region";
    static final String ENDPOINT = "s3.endpoint";
    static final String STORAGE = "s3.storage";
    static final String DIR = "s3.dir";
    static final String INFLIGHT = "s3.inflight";
    static final String CHECKSUMS = "s3.checksums";
    static final String STORAGE_MEMORY = "memory";
    static final String STORAGE_FILES = "files";
    static final String CHECKSUMS_SDK = "sdk-default";
    static final String CHECKSUMS_WHEN_REQUIRED = "when-required";
    static final String DEFAULT_REGION = "us-east-1";
    static final int DEFAULT_INFLIGHT = 4;
    static final int MAX_INFLIGHT = 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BUCKET_TIMEOUT = Duration.ofSeconds(30);
    /** S3's bucket naming rules, the ones a name can break by its characters and length. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9-]{1,40}");
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String name() {
        return "s3-handoff";
    }

    @Override
    public String description() {
        return "each frame an object PUT, GET and DELETEd over the S3 API (AWS SDK v2) in a store of its own (S3Proxy on loopback) or a real bucket";
    }

    @Override
    public int copiesPerFrame() {
        // At least: the frame into the SDK's request (SegmentInputStream), into the kernel, out to S3Proxy, into its
        // store, into the kernel for the GET, out into the SDK's response stream, into the receiver's buffer: 7; the
        // SDK's and the store's own buffering add more, uncounted.
        return 7;
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(LISTEN, "receiver address HOST:PORT for announcements (default 127.0.0.1:0, a free loopback port)");
        options.put(BUCKET, "a bucket of a real store, e.g. S3 on EC2 (credentials: the AWS SDK's default chain); default none: the receiver starts S3Proxy " + S3ProxyJar.VERSION + " on loopback for the run");
        options.put(REGION, "the bucket's region (default " + DEFAULT_REGION + ")");
        options.put(ENDPOINT, "with " + BUCKET + ": the URL of an S3-compatible store (default AWS S3 of " + REGION + ")");
        options.put(STORAGE, "S3Proxy's storage: memory (its heap) | files (a private folder in " + DIR + ") (default memory)");
        options.put(DIR, "folder the receiver makes the store's private folder in (default " + ShmFiles.DEFAULT_DIR + ")");
        options.put(INFLIGHT, "objects the sender may have outstanding, stored but not yet consumed (default " + DEFAULT_INFLIGHT + ")");
        options.put(CHECKSUMS, "sdk-default (a CRC32 trailer on every PUT, checked on every GET: the SDK's default) | when-required "
                + "(default: sdk-default with " + BUCKET + ", when-required with S3Proxy, which does not take trailers)");
        options.put(S3ProxyJar.KEY, "S3Proxy's jar-with-dependencies (default: the one the build fetched)");
        return options;
    }

    @Override
    public void validate(TransportOptions options, int maxFrameBytes) {
        options.getInt(INFLIGHT, DEFAULT_INFLIGHT, 1, MAX_INFLIGHT);
        options.getChoice(STORAGE, STORAGE_MEMORY, List.of(STORAGE_MEMORY, STORAGE_FILES));
        checksums(options, !options.has(BUCKET));
        InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0"));
        region(options);
        if (options.has(BUCKET)) {
            for (String key : List.of(STORAGE, DIR, S3ProxyJar.KEY)) {
                if (options.has(key)) {
                    throw new BadInputException(key + " configures the S3Proxy store, which " + BUCKET + "=" + options.get(BUCKET, "")
                            + " replaces; drop " + key + " or drop " + BUCKET);
                }
            }
            // The one check that needs the store: an unreachable endpoint, a missing bucket or refused
            // credentials fail the run here, before its first benchmark, not in the middle of it.
            S3HandoffEndpoint probe = new S3HandoffEndpoint(new InetSocketAddress(0), storeUrl(options), region(options), bucket(options),
                    "", S3HandoffEndpoint.AUTH_DEFAULT);
            try (S3Client client = ObjectStoreClient.open(probe, null, checksums(options, false))) {
                requireBucket(client, probe);
            }
        } else {
            if (options.has(ENDPOINT)) {
                throw new BadInputException(ENDPOINT + "=" + options.get(ENDPOINT, "") + " needs " + BUCKET
                        + "=NAME, a bucket that store holds; without " + BUCKET + " the receiver starts its own store");
            }
            storeFolder(options);
            S3ProxyJar.locate(options);
        }
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options) {
        return openReceiver(options, FramePreset.maxFrameBytes());
    }

    @Override
    public FrameReceiver openReceiver(TransportOptions options, int maxFrameBytes) {
        validate(options, maxFrameBytes);
        int inflight = options.getInt(INFLIGHT, DEFAULT_INFLIGHT, 1, MAX_INFLIGHT);
        String checksums = checksums(options, !options.has(BUCKET));
        InetSocketAddress listen = InetAddresses.parse(LISTEN, options.get(LISTEN, "127.0.0.1:0"));
        RunToken token = options.token();
        String run = ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
        S3ProxyStore store = null;
        S3Client client = null;
        ServerSocketChannel server = null;
        try {
            server = Sockets.listen(listen, 0);
            InetSocketAddress announce = (InetSocketAddress) server.getLocalAddress();
            Map<String, String> description = new LinkedHashMap<>();
            S3HandoffEndpoint endpoint;
            boolean ownsBucket;
            if (options.has(BUCKET)) {
                URI url = storeUrl(options);
                endpoint = new S3HandoffEndpoint(announce, url, region(options), bucket(options), "framebench-" + run + "/", S3HandoffEndpoint.AUTH_DEFAULT);
                client = ObjectStoreClient.open(endpoint, token, checksums);
                ownsBucket = false;
                System.err.println("[framebench] s3-handoff's store: " + ObjectStoreClient.where(endpoint) + ", prefix " + endpoint.prefix()
                        + " (not a process of this machine: its CPU is not measured)");
                description.put("store", url == null ? "AWS S3" : url.toString());
            } else {
                String storage = options.getChoice(STORAGE, STORAGE_MEMORY, List.of(STORAGE_MEMORY, STORAGE_FILES));
                String secret = token != null ? ObjectStoreClient.secretOf(token) : HexFormat.of().formatHex(RANDOM.generateSeed(20));
                store = S3ProxyStore.start(S3ProxyJar.locate(options), storeFolder(options), storage, S3HandoffEndpoint.RUN_IDENTITY, secret);
                System.err.println("[framebench] s3-handoff's store: " + store.describe() + ", started in " + store.startMillis() + " ms (outside every measurement)");
                String auth = token != null ? S3HandoffEndpoint.AUTH_RUN : S3HandoffEndpoint.AUTH_RUN + ":" + secret;
                endpoint = new S3HandoffEndpoint(announce, store.endpoint(), region(options), "framebench-" + run, "f/", auth);
                client = ObjectStoreClient.open(endpoint, token, checksums);
                createBucket(client, endpoint);
                ownsBucket = true;
                description.put("store", "S3Proxy " + S3ProxyJar.VERSION + " (" + storage + ")");
                description.put("store.startMillis", Long.toString(store.startMillis()));
            }
            description.put("region", endpoint.region());
            description.put("bucket", endpoint.bucket());
            description.put("client", "AWS SDK for Java v2, Apache HttpClient 5");
            description.put("checksums", checksums);
            description.put("inflight", Integer.toString(inflight));
            return new S3HandoffReceiver(server, endpoint, client, store, ownsBucket, maxFrameBytes, description, token);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(server);
            if (client != null) {
                client.close();
            }
            if (store != null) {
                store.close();
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TransportException("cannot open an s3-handoff listener on " + InetAddresses.format(listen) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FrameSender openSender(String endpointText, TransportOptions options) {
        int inflight = options.getInt(INFLIGHT, DEFAULT_INFLIGHT, 1, MAX_INFLIGHT);
        S3HandoffEndpoint endpoint = S3HandoffEndpoint.parse(endpointText);
        String checksums = checksums(options, !endpoint.auth().equals(S3HandoffEndpoint.AUTH_DEFAULT));
        String receiver = "receiver s3-handoff://" + endpointText;
        SocketChannel channel = Sockets.connect(endpoint.announce(), Deadline.after(CONNECT_TIMEOUT), "s3-handoff://" + endpointText);
        ChannelIo connection = ChannelIo.of(channel, IoMode.BLOCKING, receiver);
        S3Client client = null;
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connection.presentHello(options.token(), Deadline.after(CONNECT_TIMEOUT));
            client = ObjectStoreClient.open(endpoint, options.token(), checksums);
            return new S3HandoffSender(new HandoffChannel(connection, false), client, endpoint, inflight, receiver, options.token() != null);
        } catch (IOException | RuntimeException e) {
            connection.close();
            if (client != null) {
                client.close();
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TransportException("cannot configure the socket to " + receiver + ": " + e.getMessage(), e);
        }
    }

    /** Checks the bucket exists and these credentials may use it (one HEAD), before the run: one line naming which failed. */
    private static void requireBucket(S3Client client, S3HandoffEndpoint endpoint) {
        try {
            client.headBucket(HeadBucketRequest.builder().bucket(endpoint.bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(BUCKET_TIMEOUT)).build());
        } catch (S3Exception e) {
            String fix = switch (e.statusCode()) {
                case 404 -> "no such bucket; create it, or name one that exists with " + BUCKET + "=NAME";
                case 403 -> "the credentials were refused; fix the AWS SDK's default chain (AWS_PROFILE, ~/.aws/credentials, the instance role)";
                case 301, 400 -> "the bucket is not in " + endpoint.region() + "; set " + REGION + " to its region";
                default -> "check " + BUCKET + ", " + REGION + " and " + ENDPOINT;
            };
            throw new BadInputException("s3-handoff cannot use " + ObjectStoreClient.where(endpoint) + " (HTTP " + e.statusCode() + "): " + fix);
        } catch (SdkClientException e) {
            String reason = ObjectStoreClient.oneLine(e);
            throw new BadInputException("s3-handoff cannot reach " + ObjectStoreClient.where(endpoint) + ": " + reason
                    + (reason.startsWith("no credentials") ? "" : "; check " + ENDPOINT + " and " + REGION));
        }
    }

    private static void createBucket(S3Client client, S3HandoffEndpoint endpoint) {
        try {
            client.createBucket(CreateBucketRequest.builder().bucket(endpoint.bucket()).build());
        } catch (SdkException e) {
            throw new TransportException("s3-handoff cannot create " + ObjectStoreClient.where(endpoint) + ": " + ObjectStoreClient.oneLine(e), e);
        }
    }

    /**
     * The SDK's checksum setting both ends use. S3Proxy does not take the SDK's trailing checksums (aws-chunked with an x-amz-trailer): with it the default
     * is when-required, and sdk-default is refused before the run rather than by every PUT.
     */
    private static String checksums(TransportOptions options, boolean s3Proxy) {
        String checksums = options.getChoice(CHECKSUMS, s3Proxy ? CHECKSUMS_WHEN_REQUIRED : CHECKSUMS_SDK, List.of(CHECKSUMS_SDK, CHECKSUMS_WHEN_REQUIRED));
        if (s3Proxy && checksums.equals(CHECKSUMS_SDK)) {
            throw new BadInputException(CHECKSUMS + "=" + CHECKSUMS_SDK + " needs a store that takes the SDK's trailing checksums; S3Proxy "
                    + S3ProxyJar.VERSION + " answers each such PUT with XAmzContentSHA256Mismatch (gaul/s3proxy#795); use it with "
                    + BUCKET + "=NAME, or leave " + CHECKSUMS + " out");
        }
        return checksums;
    }

    private static String bucket(TransportOptions options) {
        String bucket = options.get(BUCKET, "");
        if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            throw new BadInputException("bad bucket name " + BUCKET + "=" + bucket + "; S3 bucket names are 3 to 63 lower-case letters, digits, '.' and '-'");
        }
        return bucket;
    }

    private static String region(TransportOptions options) {
        String region = options.get(REGION, DEFAULT_REGION);
        if (!REGION_NAME.matcher(region).matches()) {
            throw new BadInputException("bad region " + REGION + "=" + region + "; write an AWS region name such as us-east-1 or eu-west-1");
        }
        return region;
    }

    /** The store URL {@code s3.endpoint} names, or null for AWS S3 itself. */
    private static URI storeUrl(TransportOptions options) {
        if (!options.has(ENDPOINT)) {
            return null;
        }
        String text = options.get(ENDPOINT, "");
        try {
            URI url = new URI(text);
            if ((!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) || url.getHost() == null) {
                throw new BadInputException("bad store URL " + ENDPOINT + "=" + text + "; write http(s)://HOST[:PORT], e.g. http://127.0.0.1:9000");
            }
            return url;
        } catch (java.net.URISyntaxException e) {
            throw new BadInputException("bad store URL " + ENDPOINT + "=" + text + ": " + e.getReason() + "; write http(s)://HOST[:PORT]");
        }
    }

    private static Path storeFolder(TransportOptions options) {
        return ShmFiles.folder(DIR, options.get(DIR, ShmFiles.DEFAULT_DIR.toString()));
    }
}
