package dev.framebench.transport.s3;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.host.Ec2Detector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the S3 client each end of s3-handoff uses, the same way on both, and turns the SDK's exceptions
 * into framebench's one-line errors (which store, what it said, how to fix it).
 *
 * <p>The client is the SDK's synchronous Apache HttpClient 5 one (its Apache 4 client is deprecated), with the SDK's defaults for signing and
 * checksums unless {@code s3.checksums} says otherwise: what a service written against S3 runs, and what
 * it pays for per frame.
 */
final class ObjectStoreClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private ObjectStoreClient() {
    }

    static S3Client open(S3HandoffEndpoint endpoint, RunToken token, String checksums) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(endpoint.region()))
                .credentialsProvider(credentials(endpoint, token))
                .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).maxConnections(4));
        if (checksums.equals(S3HandoffTransport.CHECKSUMS_WHEN_REQUIRED)) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        if (endpoint.store() != null) {
            // S3Proxy and most S3-compatible stores take the bucket in the path, not in the host name.
            builder.endpointOverride(endpoint.store()).forcePathStyle(true);
        }
        try {
            return builder.build();
        } catch (SdkException e) {
            throw new BadInputException("cannot make an S3 client for " + where(endpoint) + ": " + oneLine(e)
                    + "; check s3.region and s3.endpoint");
        }
    }

    private static AwsCredentialsProvider credentials(S3HandoffEndpoint endpoint, RunToken token) {
        String auth = endpoint.auth();
        if (auth.equals(S3HandoffEndpoint.AUTH_DEFAULT)) {
            return defaultChain();
        }
        String secret;
        if (auth.startsWith(S3HandoffEndpoint.AUTH_RUN + ":")) {
            secret = auth.substring(S3HandoffEndpoint.AUTH_RUN.length() + 1);
        } else if (token != null) {
            secret = secretOf(token);
        } else {
            // A sender without the run's token cannot know the store's secret: its requests are refused (403),
            // as a stranger's must be, and S3HandoffSender says why.
            secret = HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(20));
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(S3HandoffEndpoint.RUN_IDENTITY, secret));
    }

    /**
     * The AWS SDK's default credential chain, in its order, with the instance role (which asks the instance
     * metadata service, 169.254.169.254) only where local files say this is EC2: elsewhere no credential
     * lookup sends a packet off the machine.
     */
    private static AwsCredentialsProvider defaultChain() {
        List<AwsCredentialsProvider> chain = new ArrayList<>(List.of(SystemPropertyCredentialsProvider.create(),
                EnvironmentVariableCredentialsProvider.create(), WebIdentityTokenFileCredentialsProvider.create(),
                ProfileCredentialsProvider.create(), ContainerCredentialsProvider.create()));
        if (new Ec2Detector(Path.of("/")).evidence().isPresent()) {
            chain.add(InstanceProfileCredentialsProvider.create());
        }
        return AwsCredentialsProviderChain.builder().credentialsProviders(chain).build();
    }

    /** The run's store secret: a hash of the token, so it needs no channel of its own and no command line shows it. */
    static String secretOf(RunToken token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("framebench s3-handoff store " + token.hex()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** {@code bucket B at http://127.0.0.1:39001} or {@code bucket B in S3 us-east-1}. */
    static String where(S3HandoffEndpoint endpoint) {
        return "bucket " + endpoint.bucket() + (endpoint.store() == null ? " in S3 " + endpoint.region() : " at " + endpoint.store());
    }

    /** What the store or the client said, as one line: the S3 error code and HTTP status when there is one. */
    static String oneLine(SdkException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials from any of the providers")) {
            return "no credentials: the AWS SDK's default chain found none (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or run on an EC2 instance with a role)";
        }
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            return "HTTP " + s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": " + firstLine(s3.awsErrorDetails().errorMessage());
        }
        return firstLine(e.getMessage());
    }

    /**
     * The error of a request that failed while frames flowed: a TransportException (exit 1) that says which
     * request and what the store said (the receiver adds whether its own store has exited).
     */
    static TransportException failed(String request, S3HandoffEndpoint endpoint, SdkException e) {
        String kind = e instanceof SdkClientException ? "could not reach " : "refused by ";
        return new TransportException(request + " " + kind + where(endpoint) + ": " + oneLine(e), e);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no message";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }
}
