package dev.framebench.harness.peer;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.cli.Args;
import dev.framebench.harness.faults.ParentWatch;
import dev.framebench.harness.faults.SenderFault;
import dev.framebench.harness.profiler.SenderFlames;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Main class of the sender JVM that a receiver launches: opens the transport's sender, says READY, sends
 * between START and STOP, reports STATS. Spoken to over {@link ControlProtocol}; exits when its receiver
 * goes away (end of file on stdin), so it never outlives the run that made it.
 */
public final class SenderPeer {
    static final String TRANSPORT = "--transport";
    static final String CONNECT = "--connect";
    static final String FRAME = "--frame";
    static final String OPTIONS = "--options";
    static final String STREAM = "--stream";
    static final String TIMEOUT_SECONDS = "--timeout-seconds";

    private final PrintStream control;
    private final CountDownLatch started = new CountDownLatch(1);
    private final SenderFlames flames = new SenderFlames();
    private volatile SendLoop loop;
    private volatile boolean stopBeforeStart;
    /** Set before the final replies: from then on, end of stdin is the receiver hanging up after BYE. */
    private volatile boolean finishing;
    /** Read at start: once the receiver dies, this JVM's parent is whoever adopted it. */
    private final long receiverPid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    /** "framebench sender (tcp, pid 123)": every line this JVM prints names its transport and itself. */
    private volatile String who = "framebench sender (pid " + ProcessHandle.current().pid() + ")";

    private SenderPeer(PrintStream control) {
        this.control = control;
    }

    public static List<String> arguments(String transport, String endpoint, String frame, String options, int streamId, Duration timeout) {
        return List.of(TRANSPORT, transport, CONNECT, endpoint, FRAME, frame, OPTIONS, options,
                STREAM, Integer.toString(streamId), TIMEOUT_SECONDS, Long.toString(timeout.toSeconds()));
    }

    public static void main(String[] argv) {
        // stdout is the control channel: nothing else may print there.
        PrintStream control = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        new SenderPeer(control).run(argv);
    }

    private void run(String[] argv) {
        try {
            Args args = Args.parse("sender-peer", argv,
                    Set.of(TRANSPORT, CONNECT, FRAME, OPTIONS, STREAM, TIMEOUT_SECONDS), Set.of());
            Transport transport = TransportRegistry.byName(args.require(TRANSPORT));
            who = "framebench sender (" + transport.name() + ", pid " + ProcessHandle.current().pid() + ")";
            ParentWatch.start(who + ": its receiver JVM pid {pid} is gone; exiting", ControlProtocol.EXIT_ORPHANED);
            FramePreset preset = FramePreset.byName(args.require(FRAME));
            TransportOptions options = TransportOptions.parse(args.get(OPTIONS, ""));
            int streamId = (int) args.getLong(STREAM, 0, 0, Integer.MAX_VALUE);
            Duration timeout = Duration.ofSeconds(args.getLong(TIMEOUT_SECONDS, 30, 1, 86_400));

            Thread commands = new Thread(this::readCommands, "framebench-peer-control");
            commands.setDaemon(true);
            commands.start();

            try (FramePool pool = new FramePool(preset)) {
                FrameSender sender = SenderFault.wrap(transport.openSender(args.require(CONNECT), options), SenderFault.fromSystemProperty());
                loop = new SendLoop(sender, pool, streamId, 0, timeout);
                control.println(ControlProtocol.READY + " pid=" + ProcessHandle.current().pid());
                if (!started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new TransportException("receiver sent no START within " + timeout.toSeconds() + " s");
                }
                if (!stopBeforeStart) {
                    loop.run();
                }
                sender.close();
            }
            long pid = ProcessHandle.current().pid();
            finishing = true;
            control.println(ControlProtocol.STATS + " {\"frames\":" + loop.framesSent() + ",\"bytes\":" + loop.bytesSent()
                    + ",\"cpuNanos\":" + ProcessCpu.processNanos(pid) + ",\"peakRssBytes\":" + PeakRss.bytes(pid) + "}");
            control.println(ControlProtocol.BYE);
            System.exit(0);
        } catch (BadInputException | TransportException e) {
            fail(e.getMessage());
        } catch (InterruptedException e) {
            fail("interrupted");
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(e.toString());
        }
    }

    private void fail(String message) {
        String line = message == null ? "unknown failure" : message.replace('\n', ' ');
        control.println(ControlProtocol.ERROR + " " + line);
        System.err.println(who + ": " + line);
        System.exit(1);
    }

    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case ControlProtocol.START -> started.countDown();
                    case ControlProtocol.STOP -> {
                        SendLoop current = loop;
                        if (current != null) {
                            current.stop();
                        }
                        stopBeforeStart = true;
                        started.countDown();
                    }
                    default -> {
                        if (line.startsWith(ControlProtocol.PROFILE + " ")) {
                            control.println(ControlProtocol.PROFILED + " " + flames.handle(line.substring(ControlProtocol.PROFILE.length())));
                        } else {
                            System.err.println("framebench sender: ignoring unknown command '" + line + "'");
                        }
                    }
                }
            }
        } catch (IOException e) {
            // Treated as end of file below: the receiver is unreachable either way.
        }
        if (!finishing) {
            System.err.println(who + ": its receiver JVM pid " + receiverPid + " closed the control channel (died or hung up); exiting");
            System.exit(ControlProtocol.EXIT_ORPHANED);
        }
    }
}
