package dev.framebench.launcher;

/**
 * The benchmarks jar's entry point ({@code java -jar benchmarks.jar ...}): it checks the JDK first, then
 * hands over to JMH's own {@code Main}. Compiled for Java 8, unlike the rest of framebench (JDK 25), so that
 * an older {@code java} reaches this check instead of JMH listing the benchmarks and every fork then dying
 * of {@code UnsupportedClassVersionError}: framebench is compiled for JDK 25 (release 25 in the parent pom).
 */
public final class JdkGate {
    /** framebench's one JDK floor: the parent pom's java.release, which the build enforces. */
    static final int MIN_FEATURE = 25;
    /** Bad input, as every framebench command exits for it. */
    static final int EXIT_BAD_INPUT = 2;

    private JdkGate() {
    }

    public static void main(String[] args) throws Exception {
        int feature = feature(System.getProperty("java.specification.version", "0"));
        if (feature < MIN_FEATURE) {
            System.err.println("framebench: this is Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home")
                    + "); framebench needs JDK " + MIN_FEATURE + " or newer (it is compiled for " + MIN_FEATURE + "); run the jar with the java of a JDK "
                    + MIN_FEATURE + "+, or use scripts/bench.sh, which finds one");
            System.exit(EXIT_BAD_INPUT);
        }
        org.openjdk.jmh.Main.main(args);
    }

    /** 8 for "1.8", 17 for "17". */
    static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }
}
