package dev.framebench.harness.cli;

import dev.framebench.transport.RunToken;
import dev.framebench.harness.peer.SenderPeer;
import dev.framebench.harness.util.Args;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.util.Json;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FrameConsumer;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code framebench receive}: a standalone receiver, so a sender written in another language (or run on
 * another host) can be measured and verified. Prints one JSON line with what it received.
 */
final class ReceiveCommand {
    static final String HELP = """
            usage: scripts/framebench receive --transport T [--listen ADDR] [--frames N] [--consume MODE]
                                              [--options 'K=V;K=V'] [--timeout-seconds S] [--token HEX]

            Opens the receiving end of transport T, prints "listening on ENDPOINT" to stderr, accepts one
            sender, receives frames until N have arrived (default 0: until the sender ends the stream),
            then prints one JSON line to stdout:
              {"transport":..,"endpoint":..,"frames":N,"bytes":N,"seconds":S,"gbps":G,"foreignRefused":F,
               "errors":E[,"error":"..."]}
            seconds run from the first frame's arrival to the last one's release; foreignRefused counts the
            connections refused because a sender was already served (each also named on stderr). Exit status 0 when every
            frame passed --consume (default verify: magic, lengths, CRC-32C, sequence 0,1,2,...), 1 otherwise.

              --listen ADDR       where to listen: HOST:PORT for tcp, tcp-netty, ws-*, file-handoff, s3-handoff (default
                                  127.0.0.1:0, any free port); an absolute socket PATH for uds-* (default: a
                                  private folder); the shm transports choose their own file (shm.dir)
              --timeout-seconds   how long to wait for the sender and for each frame (default 30)
              --token HEX         take only a sender that presents this token first (32 lowercase hex digits; the
                                  hello in docs/WIRE.md section 5); every other peer is refused and counted. Also
                                  read from $FRAMEBENCH_TOKEN, which other local users cannot see, unlike a command
                                  line. WITHOUT A TOKEN THE FIRST SENDER TO CONNECT IS TAKEN, whoever it is.
            """;

    /** Where the consumed values go, so the JIT cannot drop the reads of --consume read. */
    static volatile long consumedValue;

    private ReceiveCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("framebench receive", argv,
                Set.of("--transport", "--listen", "--frames", "--consume", "--options", "--timeout-seconds", "--token"), Set.of("--help"));
        if (args.has("--help")) {
            out.print(HELP);
            return 0;
        }
        Transport transport = standaloneTransport(args.require("--transport"));
        TransportOptions options = TransportOptions.parse(args.get("--options", ""));
        if (args.has("--listen")) {
            options = options.with("listen", args.get("--listen", ""));
        }
        options.requireKnownBy(List.of(transport));
        options = standaloneToken(args, options);
        long frames = args.getLong("--frames", 0, 0, Long.MAX_VALUE);
        FrameConsumer consumer = ConsumeMode.byName(args.get("--consume", "verify")).newConsumer();
        Duration timeout = Duration.ofSeconds(args.getLong("--timeout-seconds", 30, 1, 86_400));

        long received = 0;
        long bytes = 0;
        long firstNanos = 0;
        long lastNanos = 0;
        String error = null;
        String endpoint;
        int foreignRefused;
        // Any preset may arrive: size for the largest.
        try (FrameReceiver receiver = transport.openReceiver(options, dev.framebench.frame.FramePreset.maxFrameBytes())) {
            endpoint = receiver.endpoint();
            err.println("framebench receive: listening on " + endpoint);
            err.flush();
            try {
                receiver.awaitSender(System.nanoTime() + timeout.toNanos());
                long sink = 0;
                while (frames == 0 || received < frames) {
                    MemorySegment frame = receiver.receive(System.nanoTime() + timeout.toNanos());
                    if (frame == null) {
                        if (frames != 0) {
                            error = "sender ended the stream after " + received + " of " + frames + " frames";
                        }
                        break;
                    }
                    if (received == 0) {
                        firstNanos = System.nanoTime();
                    }
                    sink ^= consumer.consume(frame);
                    bytes += frame.byteSize();
                    receiver.release();
                    received++;
                    lastNanos = System.nanoTime();
                }
                consumedValue = sink;
            } catch (TransportException e) {
                error = e.getMessage();
            }
            foreignRefused = receiver.foreignConnectionsRefused();
        }
        double seconds = received == 0 ? 0 : (lastNanos - firstNanos) / 1e9;
        ObjectNode line = Json.object().put("transport", transport.name()).put("endpoint", endpoint).put("frames", received)
                .put("bytes", bytes).put("seconds", seconds).put(Metric.GBPS.key(), Metric.gbps(bytes, seconds))
                .put("foreignRefused", foreignRefused).put("errors", error == null ? 0 : 1);
        if (error != null) {
            line.put("error", error);
        }
        out.println(Json.line(line));
        return error == null ? 0 : 1;
    }

    /** {@code options} with the token of {@code --token}, else of $FRAMEBENCH_TOKEN, else none (the first sender is taken). */
    static TransportOptions standaloneToken(Args args, TransportOptions options) {
        TransportOptions withEnvironment = SenderPeer.withToken(options);
        return args.has("--token") ? options.with(RunToken.KEY, RunToken.parse(args.get("--token", "").trim()).hex()) : withEnvironment;
    }

    static Transport standaloneTransport(String name) {
        Transport transport = TransportRegistry.byName(name);
        if (transport.singleProcess()) {
            throw new BadInputException(name + " runs sender and receiver as threads of one JVM, so it has no standalone "
                    + "receive/send; measure it with scripts/bench.sh --transport " + name);
        }
        return transport;
    }
}
