package dev.framebench.transport;

import dev.framebench.error.BadInputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Every transport by name, found with {@link ServiceLoader}: this package names none of them. The order is
 * the class path's, and within one jar the order of its services file, so framebench's own transports come
 * in the order of {@code transports/src/main/resources/META-INF/services/dev.framebench.transport.Transport}.
 *
 * <p>Adding a transport, inside this repo or outside it, takes three things and no change here:
 * <ol>
 *   <li>one package holding a public class that implements {@link Transport} and has a public no-argument
 *       constructor (a transport with variants, as {@code shm-agrona} and {@code shm-agrona-mpsc}, has one
 *       such class per name);</li>
 *   <li>one line naming that class in {@code META-INF/services/dev.framebench.transport.Transport} of the
 *       jar it ships in; a jar on the class path is all it takes for {@link #byName} to find it;</li>
 *   <li>one subclass of the conformance suite ({@code dev.framebench.testkit.TransportConformanceTest}, artifact {@code framebench-testkit}) whose factory
 *       methods name the transport and its options.</li>
 * </ol>
 * Inside this repo the package also keeps to the layers that {@code TransportsArchitectureTest} checks.
 * Two providers of one name are an error naming both classes: neither would be the one measured.
 *
 * <p>Threading: every method is safe from any thread; the providers are loaded once, on first use.
 */
public final class TransportRegistry {
    /** Guarded by the class: null until the first call that loads every provider without error. */
    private static Map<String, Transport> loaded;

    private TransportRegistry() {
    }

    public static Transport byName(String name) {
        Transport transport = transports().get(name);
        if (transport == null) {
            throw new BadInputException("unknown transport '" + name + "'; valid transports: " + validNames());
        }
        return transport;
    }

    /** Parses a comma-separated list, keeping its order. */
    public static List<Transport> byNames(String commaSeparated) {
        List<Transport> list = new ArrayList<>();
        for (String name : commaSeparated.split(",")) {
            if (!name.isBlank()) {
                list.add(byName(name.trim()));
            }
        }
        if (list.isEmpty()) {
            throw new BadInputException("no transport given; valid transports: " + validNames());
        }
        return list;
    }

    public static List<Transport> all() {
        return List.copyOf(transports().values());
    }

    public static String validNames() {
        return String.join(", ", transports().keySet());
    }

    /**
     * Loaded on first use rather than in a static initialiser: a class path with a broken or doubled
     * provider then fails every call with the same one-line {@link BadInputException}, not once with an
     * {@code ExceptionInInitializerError} and then with {@code NoClassDefFoundError}.
     */
    private static synchronized Map<String, Transport> transports() {
        if (loaded == null) {
            // The SPI's own loader, not the thread's context loader: the first call may come from any
            // thread (a JMH worker, a Netty event loop), and the class path is what the loader of the SPI sees.
            loaded = index(ServiceLoader.load(Transport.class, Transport.class.getClassLoader()));
        }
        return loaded;
    }

    /** The providers by name, in iteration order; one line naming both classes when two share a name. */
    static Map<String, Transport> index(Iterable<Transport> providers) {
        Map<String, Transport> byName = new LinkedHashMap<>();
        try {
            for (Transport transport : providers) {
                Transport other = byName.putIfAbsent(transport.name(), transport);
                if (other != null) {
                    throw new BadInputException("two transports are named '" + transport.name() + "': "
                            + other.getClass().getName() + " and " + transport.getClass().getName()
                            + "; remove one of them from the class path (or rename it)");
                }
            }
        } catch (ServiceConfigurationError e) {
            String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
            throw new BadInputException("cannot load a transport: " + e.getMessage() + cause
                    + "; fix or remove the jar whose META-INF/services/" + Transport.class.getName() + " names it");
        }
        return Collections.unmodifiableMap(byName);
    }
}
