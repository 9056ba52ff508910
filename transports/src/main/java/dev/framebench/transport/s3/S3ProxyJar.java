package dev.framebench.transport.s3;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Finds S3Proxy's self-contained jar ({@code s3proxy-VERSION-jar-with-dependencies.jar}), which the build
 * puts beside benchmarks.jar and beside the transports module's classes, never on a class path: S3Proxy
 * brings its own Jetty, Jackson and Guava. In order: option {@value #KEY}; the folder of the jar (or the
 * parent of the classes folder) this class was loaded from; the local Maven repository.
 */
final class S3ProxyJar {
    static final String KEY = "s3.proxyJar";
    static final String VERSION = readVersion();

    private S3ProxyJar() {
    }

    static String fileName() {
        return "s3proxy-" + VERSION + "-jar-with-dependencies.jar";
    }

    /** The jar to run, checked to exist; fails with one line naming where it looked and how to fix it. */
    static Path locate(TransportOptions options) {
        if (options.has(KEY)) {
            Path given = Path.of(options.get(KEY, ""));
            if (!Files.isRegularFile(given)) {
                throw new BadInputException(KEY + "=" + given + " is not a file; name S3Proxy's jar-with-dependencies "
                        + VERSION + " or leave " + KEY + " out to use the one the build fetched");
            }
            return given.toAbsolutePath();
        }
        List<Path> candidates = candidates();
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new BadInputException("no S3Proxy jar for s3-handoff's store (looked at " + candidates
                + "); build with scripts/bench.sh (or mvn package), set " + KEY + "=PATH, or use real S3 with s3.bucket=NAME");
    }

    private static List<Path> candidates() {
        List<Path> candidates = new ArrayList<>();
        try {
            Path codeSource = Path.of(S3ProxyJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            candidates.add(codeSource.getParent().resolve(fileName()));
        } catch (URISyntaxException | RuntimeException e) {
            // No file code source (a custom class loader): the Maven repository below may still have it.
        }
        String repository = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        candidates.add(Path.of(repository, "org", "gaul", "s3proxy", VERSION, fileName()));
        return candidates;
    }

    private static String readVersion() {
        try (InputStream in = S3ProxyJar.class.getResourceAsStream("s3proxy.properties")) {
            if (in == null) {
                throw new IllegalStateException("s3proxy.properties is missing from framebench's transports jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
