package dev.framebench.transport.shm.agrona;

import dev.framebench.error.BadInputException;
import org.agrona.DirectBuffer;

/**
 * What Agrona 2 (and Aeron, built on it) needs from the JVM: {@code org.agrona.UnsafeApi} calls
 * {@code jdk.internal.misc.Unsafe}, which only works when {@code java.base} opens that package to the
 * class path. Without it the first buffer fails with an {@code IllegalAccessError} deep in a static
 * initialiser; this says so in one line first.
 */
public final class AgronaRuntime {
    public static final String JVM_OPTION = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";

    private AgronaRuntime() {
    }

    /** Fails with one line naming the missing JVM option, before {@code transport} touches Agrona. */
    public static void require(String transport) {
        if (!Object.class.getModule().isExported("jdk.internal.misc", DirectBuffer.class.getModule())) {
            throw new BadInputException(transport + " needs the JVM option " + JVM_OPTION
                    + " (Agrona 2 uses jdk.internal.misc.Unsafe); add it to the java command line");
        }
    }
}
