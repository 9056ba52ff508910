package dev.framebench.transport.shm;

import dev.framebench.transport.TransportOptions;

import java.util.List;
import java.util.Locale;

/**
 * How a shared-memory ring's waiting side waits (option {@code idle}), recorded with every result:
 * <ul>
 *   <li>{@code spin}: busy-polls with {@link Thread#onSpinWait()}: the lowest latency, a whole core even at 30 fps;</li>
 *   <li>{@code yield}: polls and yields the core between polls;</li>
 *   <li>{@code backoff}: spins, yields, then naps in short parks ({@link dev.framebench.transport.Backoff});</li>
 *   <li>{@code futex}: sleeps in the kernel on a 32-bit word in the shared mapping ({@link Doorbell}); the other
 *       side issues a wake only when a waiter has announced itself.</li>
 * </ul>
 * {@link RingWaiter} carries out whichever is chosen, for every shared-memory ring.
 */
public enum IdleMode {
    SPIN,
    YIELD,
    BACKOFF,
    FUTEX;

    public static final String KEY = "idle";
    public static final List<String> NAMES = List.of("spin", "yield", "backoff", "futex");
    public static final String HELP = "spin | yield | backoff | futex: how the waiting side waits (default backoff)";

    public String modeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IdleMode from(TransportOptions options) {
        return valueOf(options.getChoice(KEY, "backoff", NAMES).toUpperCase(Locale.ROOT));
    }
}
