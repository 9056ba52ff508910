package dev.framebench.harness.cli;

import dev.framebench.harness.run.BuildInfo;
import dev.framebench.harness.run.FramebenchHome;
import dev.framebench.harness.peer.ParentWatch;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.frame.FramePreset;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportRegistry;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The framebench command line: {@code bench}, {@code receive}, {@code send}, {@code transports}, the
 * results commands {@code env}, {@code report}, {@code index}, {@code regress}, and {@code compare}. Bad
 * input is one line on stderr and exit status 2; a failed run is one line and status 1.
 */
public final class Main {
    /** System property: end this JVM when the process that started it is gone. */
    static final String WATCH_PARENT = "framebench.watchParent";

    static final String HELP = """
            usage: framebench COMMAND [flags]     (scripts/framebench, scripts/bench.sh)

            commands:
              bench        run the JMH benchmark over transports x frames (scripts/bench.sh is this)
              paced        N streams at a fixed frame rate: latency percentiles, cores per stream (scripts/paced.sh)
              capacity     the most paced streams a transport holds, and streams per core (scripts/capacity.sh)
              receive      standalone receiver: prints one JSON line with what it received
              send         standalone sender of the synthetic frame stream
              transports   list transports, what each copies, and their options
              env          record the machine of a run as env.json (scripts/bench-all.sh does)
              report       write a results folder's summary, charts and README from jmh.json + env.json
              index        regenerate results/README.md, the index of published runs
              regress      compare two results folders; exit 1 on a regression (scripts/regress.sh is this)
              compare      A/B of two builds in one run, in shuffled rounds, by a paired statistic (scripts/compare.sh)
              help         this text (also --help, -h)
              --version    the framebench version, the git commit it was built from and when

            'framebench COMMAND --help' explains each command's flags.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        if (Boolean.getBoolean(WATCH_PARENT)) {
            // The scripts set this: a script killed with SIGKILL (no trap runs) must not leave this JVM, its
            // JMH forks and their senders running to the end of the benchmark. Exiting runs the hooks that end them.
            ParentWatch.start("framebench: the script that started this run (pid {pid}) is gone; stopping the run", ExitStatus.FAILED);
        }
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(HELP);
            return ExitStatus.BAD_INPUT;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "bench" -> BenchCommand.run(rest, out, err);
                case "paced" -> PacedCommand.run(rest, out, err);
                case "capacity" -> CapacityCommand.run(rest, out, err);
                case "receive" -> ReceiveCommand.run(rest, out, err);
                case "send" -> SendCommand.run(rest, out, err);
                case "transports" -> listTransports(out);
                case "env" -> EnvCommand.run(rest, out, err, FramebenchHome.root());
                case "report" -> ReportCommand.report(rest, out, err, FramebenchHome.root());
                case "index" -> ReportCommand.index(rest, out, err, FramebenchHome.root());
                case "regress" -> RegressCommand.run(rest, out, err);
                case "compare" -> CompareCommand.run(rest, out, err);
                case "help", "--help", "-h" -> {
                    out.print(HELP);
                    yield ExitStatus.OK;
                }
                case "--version", "version" -> {
                    out.print(BuildInfo.current().describe());
                    yield ExitStatus.OK;
                }
                default -> throw new BadInputException("unknown command '" + args[0] + "'; valid commands: bench, paced, capacity, receive, send, transports, env, report, index, regress, compare, help, --version");
            };
        } catch (BadInputException e) {
            err.println("framebench: " + e.getMessage());
            return ExitStatus.BAD_INPUT;
        } catch (TransportException e) {
            err.println("framebench: " + e.getMessage());
            return ExitStatus.FAILED;
        }
    }

    private static int listTransports(PrintStream out) {
        for (Transport t : TransportRegistry.all()) {
            out.printf("%-16s %s%n", t.name(), t.description());
            for (Map.Entry<String, String> option : t.options().entrySet()) {
                out.printf("%-16s   %s: %s%n", "", option.getKey(), option.getValue());
            }
        }
        out.println();
        out.println("frames: " + FramePreset.validNames());
        return 0;
    }
}
