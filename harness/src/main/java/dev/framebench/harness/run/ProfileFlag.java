package dev.framebench.harness.run;

import java.util.List;
import java.util.stream.Stream;

/**
 * A command-line flag that overrides one profile key: the one table of which flag sets which key, for
 * {@code framebench bench} and {@code framebench paced} alike. Paced runs read their own keys for the
 * transports and the iterations, so the same flag names a different key there.
 *
 * @param flag        the flag, e.g. {@code --forks}
 * @param key         the profile key it sets
 * @param switchValue the value a flag without a value sets (e.g. {@code --no-baseline}: false), or null
 */
public record ProfileFlag(String flag, String key, String switchValue) {
    static ProfileFlag of(String flag, String key) {
        return new ProfileFlag(flag, key, null);
    }

    /** Flags both runs share; they apply after the transports, so options are checked against the chosen ones. */
    private static final List<ProfileFlag> COMMON = List.of(
            of("--frame", "frames"), of("--consume", "consume"), of("--options", "options"), of("--forks", "forks"),
            of("--timeout-seconds", "timeoutSeconds"), of("--pin", "pin"));

    /** {@code framebench bench} (scripts/bench.sh). */
    public static final List<ProfileFlag> BENCH = Stream.concat(Stream.of(of("--transport", "transports")), Stream.concat(COMMON.stream(), Stream.of(
            of("--sender", "senderKinds"), of("--receiver", "receiverKinds"),
            of("--order", "order"),
            of("--warmup-iterations", "warmupIterations"), of("--warmup-seconds", "warmupSeconds"),
            of("--iterations", "iterations"), of("--iteration-seconds", "iterationSeconds"),
            new ProfileFlag("--no-baseline", "baseline", "false"), of("--flames-event", "flamesEvent"),
            new ProfileFlag("--flames", "flames", "true")))).toList();

    /** {@code framebench paced} (scripts/paced.sh). */
    public static final List<ProfileFlag> PACED = Stream.concat(Stream.of(of("--transport", "pacedTransports")), Stream.concat(COMMON.stream(), Stream.of(
            of("--sender", "pacedSenderKinds"), of("--receiver", "pacedReceiverKinds"),
            of("--streams", "pacedStreams"), of("--fps", "pacedFps"),
            of("--topology", "pacedTopologies"), of("--receivers", "pacedReceivers"),
            of("--warmup-seconds", "pacedWarmupSeconds"), of("--iterations", "pacedIterations"),
            of("--iteration-seconds", "pacedIterationSeconds")))).toList();

    /** The flags of {@code flags} that take a value, for {@link dev.framebench.harness.util.Args#parse}. */
    public static List<String> withValue(List<ProfileFlag> flags) {
        return flags.stream().filter(f -> f.switchValue() == null).map(ProfileFlag::flag).toList();
    }

    /** The flags of {@code flags} that take none. */
    public static List<String> switches(List<ProfileFlag> flags) {
        return flags.stream().filter(f -> f.switchValue() != null).map(ProfileFlag::flag).toList();
    }
}
