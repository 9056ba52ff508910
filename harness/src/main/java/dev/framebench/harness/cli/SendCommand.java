package dev.framebench.harness.cli;

import dev.framebench.harness.util.Args;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.framebench.harness.metrics.Metric;
import dev.framebench.harness.peer.SenderHook;
import dev.framebench.harness.util.Json;
import dev.framebench.harness.peer.SendLoop;
import dev.framebench.harness.peer.SenderFrames;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code framebench send}: a standalone sender of the synthetic stream, for any receiver of the wire format. */
final class SendCommand {
    static final String HELP = """
            usage: scripts/framebench send --transport T --connect ENDPOINT [--frame F] [--frames N]
                                           [--stream ID] [--options 'K=V;K=V'] [--timeout-seconds S] [--token HEX]

            Connects to a receiver of transport T at ENDPOINT (what its receiver printed after "listening
            on": HOST:PORT, a socket path, a ring file) and sends N frames
            (default 1000; 0 = until killed) of preset F (default 1080p-i420) as stream ID (default 0),
            sequence 0, 1, 2, ..., then ends the stream cleanly and prints one JSON line:
              {"transport":..,"frames":N,"bytes":N,"seconds":S,"gbps":G}

              --token HEX   present this token first (the hello of docs/WIRE.md section 5), for a receiver started
                            with the same --token; also read from $FRAMEBENCH_TOKEN (invisible to other users)
            """;

    private SendCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("framebench send", argv,
                Set.of("--transport", "--connect", "--frame", "--frames", "--stream", "--options", "--timeout-seconds", "--token"),
                Set.of("--help"));
        if (args.has("--help")) {
            out.print(HELP);
            return 0;
        }
        Transport transport = ReceiveCommand.standaloneTransport(args.require("--transport"));
        String endpoint = args.require("--connect");
        FramePreset preset = FramePreset.byName(args.get("--frame", "1080p-i420"));
        long frames = args.getLong("--frames", 1000, 0, Long.MAX_VALUE);
        int stream = (int) args.getLong("--stream", 0, 0, Integer.MAX_VALUE);
        TransportOptions given = TransportOptions.parse(args.get("--options", ""));
        given.requireKnownBy(List.of(transport));
        TransportOptions options = ReceiveCommand.standaloneToken(args, given);
        Duration timeout = Duration.ofSeconds(args.getLong("--timeout-seconds", 30, 1, 86_400));

        long start;
        SendLoop loop;
        // The sender first: a zero-copy transport lends the memory its pool is rendered into.
        try (FrameSender sender = SenderHook.open(() -> transport.openSender(endpoint, options));
             FramePool pool = SenderFrames.poolFor(sender, preset)) {
            loop = new SendLoop(sender, pool, stream, frames, timeout);
            start = System.nanoTime();
            loop.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode line = Json.object().put("transport", transport.name()).put("frames", loop.framesSent()).put("bytes", loop.bytesSent())
                .put("seconds", seconds).put(Metric.GBPS.key(), Metric.gbps(loop.bytesSent(), seconds));
        out.println(Json.line(line));
        return 0;
    }
}
