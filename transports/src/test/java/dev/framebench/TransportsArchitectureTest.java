package dev.framebench;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The transports module's layers, checked on its compiled main classes at every build (DESIGN.md
 * section 2: arrows down only, no cycles). Top to bottom:
 * <pre>
 *   dev.framebench.transport.&lt;name&gt;..   one package per transport (inproc, tcp, uds, websocket, netty, shm,
 *                                       aeron, file, s3) and the shared helpers (socket, websocket, shm)
 *   dev.framebench.transport            the SPI only: it knows no implementation
 *   dev.framebench.frame                the frame format, its limits and the one framing check
 *   dev.framebench.error                the exceptions every layer throws
 * </pre>
 * Among the packages under the SPI only the edges {@link #MAY_USE} lists are allowed: a transport uses
 * a shared helper, never another transport. The table is today's real picture, each edge with its reason;
 * a new edge fails the build until it is added here on purpose, and an edge no class uses any more fails
 * too, so the table stays the picture. A transport that uses only the SPI, frame and error needs no line.
 */
@AnalyzeClasses(packages = "dev.framebench", importOptions = ImportOption.DoNotIncludeTests.class)
class TransportsArchitectureTest {
    private static final String SPI = "dev.framebench.transport";
    /** Every package below the SPI: the implementations and their shared helpers. */
    private static final String BELOW_SPI = "dev.framebench.transport.*..";

    /**
     * Which packages under the SPI (named relative to it) each such package may use, besides the SPI,
     * frame, error, the JDK and libraries. Helpers: {@code socket} (stream receiver, sender gate,
     * foreign-connection counts, addresses, the storage hand-offs' announcements), {@code websocket} (options both WebSocket transports read),
     * {@code shm} (shm files, idle modes, the ring waiter and doorbell, the ring hello), {@code host} (is this EC2).
     */
    static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            entry("inproc", Set.of()),
            entry("socket", Set.of()),
            entry("tcp", Set.of("socket")),
            entry("uds", Set.of("socket")),
            entry("websocket", Set.of()),
            // ws-javaws: foreign-connection counts and addresses, and the WebSocket options it shares with ws-netty.
            entry("websocket.javaws", Set.of("socket", "websocket")),
            // tcp-netty frames streams as tcp does and backlogs as the sender gate; ws-netty reads the shared WebSocket options.
            entry("netty", Set.of("socket", "websocket")),
            entry("shm", Set.of()),
            entry("shm.ffm", Set.of("shm")),
            entry("shm.agrona", Set.of("shm")),
            entry("shm.slots", Set.of("shm")),
            // aeron-ipc keeps its driver folder with ShmFiles and needs Agrona's JVM check (AgronaRuntime):
            // Aeron runs on Agrona, so the one transport-to-transport edge, kept explicit.
            entry("aeron", Set.of("shm", "shm.agrona")),
            // file-handoff: a socket for announcements (sender gate, addresses), files in shm.dir (ShmFiles).
            entry("file", Set.of("socket", "shm")),
            // The machine the transports run on: whether it is EC2, from local files only (Ec2Detector).
            entry("host", Set.of()),
            // s3-handoff: the same announcements (HandoffChannel, sender gate), its store's folder in s3.dir (ShmFiles),
            // the instance role in its credential chain only on EC2 (host).
            entry("s3", Set.of("socket", "shm", "host")));

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.framebench.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layersPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("transports").definedBy(BELOW_SPI)
            .layer("spi").definedBy(SPI)
            .layer("frame").definedBy("dev.framebench.frame..")
            .layer("error").definedBy("dev.framebench.error..")
            .whereLayer("transports").mayNotBeAccessedByAnyLayer()
            .whereLayer("spi").mayOnlyBeAccessedByLayers("transports")
            .whereLayer("frame").mayOnlyBeAccessedByLayers("transports", "spi")
            .whereLayer("error").mayOnlyBeAccessedByLayers("transports", "spi", "frame");

    @ArchTest
    static final ArchRule spiKnowsNoImplementation = noClasses().that().resideInAPackage(SPI)
            .should().dependOnClassesThat().resideInAPackage(BELOW_SPI)
            .because("transports are found with java.util.ServiceLoader (META-INF/services), so one outside this repo needs no change here");

    @ArchTest
    static final ArchRule spiImportsOnlyFrameErrorAndTheJdk = classes().that().resideInAPackage(SPI)
            .should().onlyDependOnClassesThat().resideInAnyPackage(SPI, "dev.framebench.frame..", "dev.framebench.error..", "java..");

    @ArchTest
    static final ArchRule frameImportsNothingAbove = classes().that().resideInAPackage("dev.framebench.frame..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.framebench.frame..", "dev.framebench.error..", "java..")
            .because("the frame format is read by every transport and by peers in other languages; it knows no transport and no library");

    @ArchTest
    static final ArchRule errorImportsNothingAbove = classes().that().resideInAPackage("dev.framebench.error..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.framebench.error..", "java..");

    @ArchTest
    static final ArchRule transportsUseNoOtherTransport = classes().that().resideInAPackage(BELOW_SPI)
            .should(useOnlyThePackagesBelowTheSpiTheyMayUse());

    @ArchTest
    static void everyAllowedEdgeIsStillUsed(JavaClasses classes) {
        Set<String> used = new TreeSet<>();
        for (JavaClass origin : classes) {
            String from = belowSpi(origin.getPackageName());
            if (from == null) {
                continue;
            }
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                String to = belowSpi(dependency.getTargetClass().getBaseComponentType().getPackageName());
                if (to != null && !to.equals(from)) {
                    used.add(from + " -> " + to);
                }
            }
        }
        Set<String> allowed = new TreeSet<>();
        MAY_USE.forEach((from, targets) -> targets.forEach(to -> allowed.add(from + " -> " + to)));
        assertEquals(allowed, used, "MAY_USE must list exactly the edges the main classes use");
    }

    private static ArchCondition<JavaClass> useOnlyThePackagesBelowTheSpiTheyMayUse() {
        return new ArchCondition<>("use no package below the SPI but those MAY_USE lists for their own") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String from = belowSpi(origin.getPackageName());
                Set<String> allowed = MAY_USE.getOrDefault(from, Set.of());
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String to = belowSpi(dependency.getTargetClass().getBaseComponentType().getPackageName());
                    if (to != null && !to.equals(from) && !allowed.contains(to)) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription() + ": " + from + " may use only "
                                + allowed + " below the SPI; a transport uses shared helpers, never another transport"
                                + " (if this edge is meant, add it to MAY_USE with its reason)"));
                    }
                }
            }
        };
    }

    /** {@code shm.ffm} for {@code dev.framebench.transport.shm.ffm}; null for the SPI itself and anything outside it. */
    private static String belowSpi(String packageName) {
        return packageName.startsWith(SPI + ".") ? packageName.substring(SPI.length() + 1) : null;
    }
}
