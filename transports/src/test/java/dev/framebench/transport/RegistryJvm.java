package dev.framebench.transport;

import dev.framebench.error.BadInputException;

/**
 * A second JVM for {@link TransportRegistryTest}: prints the registry's names and the class behind
 * {@code args[0]}, or, as the command line does, {@code framebench: <message>} on stderr and exit 2.
 */
final class RegistryJvm {
    private RegistryJvm() {
    }

    public static void main(String[] args) {
        try {
            System.out.print(TransportRegistry.validNames() + "\n" + TransportRegistry.byName(args[0]).getClass().getName() + "\n");
        } catch (BadInputException e) {
            System.err.print("framebench: " + e.getMessage() + "\n");
            System.exit(2);
        }
    }
}
