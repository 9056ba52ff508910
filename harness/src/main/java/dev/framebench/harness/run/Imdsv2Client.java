package dev.framebench.harness.run;

import dev.framebench.transport.host.Ec2Detector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The EC2 instance metadata service, version 2 (a session token first, then the values). Only ever called
 * after {@link Ec2Detector} found EC2 in local files; every request has a one-second deadline, so a machine
 * that only looks like EC2 loses two seconds at most.
 */
public final class Imdsv2Client implements InstanceMetadata {
    /** The link-local address of the service on every EC2 instance; the only address this class talks to. */
    static final String ENDPOINT = "http://169.254.169.254";
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    @Override
    public Map<String, String> fetch() {
        Map<String, String> values = new LinkedHashMap<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE).followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            String token = send(http, HttpRequest.newBuilder(URI.create(ENDPOINT + "/latest/api/token"))
                    .header("X-aws-ec2-metadata-token-ttl-seconds", "60").PUT(HttpRequest.BodyPublishers.noBody()));
            values.put("instanceType", get(http, token, "instance-type"));
            values.put("region", get(http, token, "placement/region"));
            values.put("availabilityZone", get(http, token, "placement/availability-zone"));
        } catch (IOException e) {
            values.put("error", "instance metadata not available: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            values.put("error", "instance metadata interrupted");
        } finally {
            http.close();
        }
        return values;
    }

    private static String get(HttpClient http, String token, String path) throws IOException, InterruptedException {
        return send(http, HttpRequest.newBuilder(URI.create(ENDPOINT + "/latest/meta-data/" + path)).header("X-aws-ec2-metadata-token", token).GET());
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + response.uri());
        }
        return response.body().trim();
    }
}
