package dev.framebench.harness.cli;

import dev.framebench.error.BadInputException;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ProfilerConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JMH options a bench command line passes through after {@code --} ({@code scripts/bench.sh --profile
 * quick -- -prof gc -jvmArgsAppend -Xmx2g}), parsed by JMH's own parser so that what JMH would reject is
 * refused before anything runs, in one line (exit 2).
 *
 * <p>Options that framebench already sets from its profile are refused with the framebench flag to use
 * instead: given twice, one of the two values would be silently ignored. {@code -jvmArgsAppend} is added
 * after framebench's own fork arguments; profilers join framebench's; everything else goes to JMH as given.
 */
record JmhPassThrough(List<String> args, CommandLineOptions options) {
    /** What separates framebench's flags from JMH's on the command line. */
    static final String SEPARATOR = "--";

    /** What framebench sets itself, each with the reason a JMH spelling of it is refused. */
    private static final Map<String, Predicate<CommandLineOptions>> OWNED = owned();

    private static Map<String, Predicate<CommandLineOptions>> owned() {
        Map<String, Predicate<CommandLineOptions>> owned = new LinkedHashMap<>();
        owned.put("benchmark patterns are framebench's to choose; use --transport and --frame", o -> !o.getIncludes().isEmpty());
        owned.put("-f is framebench's; use --forks", o -> o.getForkCount().hasValue());
        owned.put("-i is framebench's; use --iterations", o -> o.getMeasurementIterations().hasValue());
        owned.put("-r is framebench's; use --iteration-seconds", o -> o.getMeasurementTime().hasValue());
        owned.put("-wi is framebench's; use --warmup-iterations", o -> o.getWarmupIterations().hasValue());
        owned.put("-w is framebench's; use --warmup-seconds", o -> o.getWarmupTime().hasValue());
        owned.put("-p is framebench's; use --transport, --frame, --consume and --options",
                o -> List.of("transport", "frame", "consume", "options").stream().anyMatch(p -> o.getParameter(p).hasValue()));
        owned.put("-rf, -rff and -o are framebench's; it writes jmh.json and jmh.log into the results folder",
                o -> o.getResultFormat().hasValue() || o.getResult().hasValue() || o.getOutput().hasValue());
        owned.put("-foe is framebench's; a failed benchmark always fails the run", o -> o.shouldFailOnError().hasValue());
        owned.put("-h, -l, -lp, -lprof and -lrf only list; run them as 'java -jar harness/target/benchmarks.jar -h'",
                o -> o.shouldHelp() || o.shouldList() || o.shouldListWithParams() || o.shouldListProfilers() || o.shouldListResultFormats());
        return owned;
    }

    /** No JMH options: what a bench without {@code --} passes. */
    static final JmhPassThrough NONE = parse(List.of());

    /** framebench's flags and the JMH options after {@link #SEPARATOR}, which may be empty. */
    record Split(String[] framebench, List<String> jmh) {
    }

    static Split split(String[] argv) {
        int at = Arrays.asList(argv).indexOf(SEPARATOR);
        if (at < 0) {
            return new Split(argv, List.of());
        }
        return new Split(Arrays.copyOfRange(argv, 0, at), List.of(Arrays.copyOfRange(argv, at + 1, argv.length)));
    }

    static JmhPassThrough parse(List<String> args) {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new BadInputException("JMH options after --: " + oneLine(e.getMessage())
                    + "; 'java -jar harness/target/benchmarks.jar -h' lists JMH's options");
        }
        for (Map.Entry<String, Predicate<CommandLineOptions>> owned : OWNED.entrySet()) {
            if (owned.getValue().test(options)) {
                throw new BadInputException("JMH options after --: " + owned.getKey() + " (" + String.join(" ", args) + ")");
            }
        }
        for (ProfilerConfig profiler : options.getProfilers()) {
            try {
                ProfilerFactory.getProfilerOrException(profiler);
            } catch (ProfilerException e) {
                throw new BadInputException("JMH options after --: profiler '" + profiler.getKlass() + "' cannot run here: "
                        + oneLine(e.getMessage()) + "; 'java -jar harness/target/benchmarks.jar -lprof' lists them");
            }
        }
        return new JmhPassThrough(List.copyOf(args), options);
    }

    boolean isEmpty() {
        return args.isEmpty();
    }

    /** framebench's fork arguments, then those of {@code -jvmArgsAppend}. */
    String[] jvmArgsAppend(Collection<String> framebenchArgs) {
        List<String> all = new ArrayList<>(framebenchArgs);
        all.addAll(options.getJvmArgsAppend().orElse(List.of()));
        return all.toArray(String[]::new);
    }

    /** JMH's message, which may span lines, as one line. */
    private static String oneLine(String message) {
        return message == null || message.isBlank() ? "rejected" : message.strip().replaceAll("\\s+", " ");
    }
}
