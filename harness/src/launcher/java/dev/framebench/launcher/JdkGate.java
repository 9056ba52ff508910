package dev.framebench.launcher;

/**
 * The benchmarks jar's entry point ({@code java -jar benchmarks.jar ...}): it checks the JDK first, then
 * hands over to JMH's own {@code Main}. Compiled for Java 8, unlike the rest of framebench (JDK 25), so that
 * an older {@code java} reaches this check instead of JMH listing the benchmarks and every fork then dying
 * of {@code UnsupportedClassVersionError}: the FFM API framebench measures with needs JDK 22 or newer.
 */
public final class JdkGate {
    /** The first JDK whose FFM API (java.lang.foreign) is final. */
    static final int MIN_FEATURE = 22;
    /** Bad input, as every framebench command exits for it. */
    static final int EXIT_BAD_INPUT = 2;

    private JdkGate() {
    }

    public static void main(String[] args) throws Exception {
        int feature = feature(System.getProperty("java.specification.version", "0"));
        if (feature < MIN_FEATURE) {
            System.err.println("framebench: this is Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home")
                    + "); framebench needs JDK " + MIN_FEATURE + " or newer (the FFM API); run the jar with the java of a JDK "
                    + MIN_FEATURE + "+ (JDK 25 is what framebench is built with), or use scripts/bench.sh, which finds one");
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
