package dev.framebench.harness.accounting;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The kernel's USER_HZ, which /proc counts CPU time in, from {@code sysconf(_SC_CLK_TCK)}. */
final class ClockTicks {
    private static final int SC_CLK_TCK = 2;
    private static final long NANOS_PER_TICK = 1_000_000_000L / ticksPerSecond();

    private ClockTicks() {
    }

    static long nanosPerTick() {
        return NANOS_PER_TICK;
    }

    private static long ticksPerSecond() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle sysconf = linker.downcallHandle(
                    linker.defaultLookup().find("sysconf").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            long hz = (long) sysconf.invokeExact(SC_CLK_TCK);
            return hz > 0 ? hz : 100;
        } catch (Throwable e) {
            // USER_HZ is 100 on every Linux architecture framebench runs on.
            return 100;
        }
    }
}
