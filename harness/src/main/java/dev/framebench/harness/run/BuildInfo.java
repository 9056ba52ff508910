package dev.framebench.harness.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What built this framebench ({@code framebench --version}): its version, the git commit it was built from and
 * when, read from {@code build.properties}, which Maven's resource filtering fills in when benchmarks.jar is
 * built. The scripts' builds pass the checkout's commit ({@code -Dframebench.commit}, with {@code -dirty} when
 * tracked files differ from it); a build outside git, or a plain {@code mvn} without it, says {@value #UNKNOWN}.
 */
public record BuildInfo(String version, String commit, String builtAt) {
    /** The filtered resource, beside this package's parent in the class path. */
    static final String RESOURCE = "/dev/framebench/harness/build.properties";
    /** Said for every value the build did not fill in. */
    public static final String UNKNOWN = "unknown";

    /** This build's, or {@value #UNKNOWN} throughout when the resource is missing (classes not built by Maven). */
    public static BuildInfo current() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the class path: " + e.getMessage(), e);
        }
        return of(properties);
    }

    /** A value left blank, or still a {@code ${...}} placeholder (not filtered), is {@value #UNKNOWN}. */
    static BuildInfo of(Properties properties) {
        return new BuildInfo(value(properties, "version"), value(properties, "commit"), value(properties, "built"));
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key, "").strip();
        return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
    }

    /** Three lines: {@code framebench VERSION}, {@code commit SHA}, {@code built TIME}, each saying why when unknown. */
    public String describe() {
        return "framebench " + version + "\n"
                + "commit " + (commit.equals(UNKNOWN) ? UNKNOWN + " (not built from a git checkout by the scripts)" : commit) + "\n"
                + "built " + (builtAt.equals(UNKNOWN) ? UNKNOWN + " (not built by Maven)" : builtAt) + "\n";
    }
}
