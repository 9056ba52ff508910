package dev.framebench.harness.paced;

import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.cli.Args;
import dev.framebench.harness.peer.ControlProtocol;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
import dev.framebench.error.TransportException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Main class of a paced sender JVM: one {@link PacedSendLoop} thread per stream it is given, each with its
 * own transport sender and frame pool, as the streams of a thread-per-stream host would have (a
 * process-per-stream run starts one of these per stream). It speaks {@link ControlProtocol} like the
 * saturation peer: READY once every stream is connected, START begins every schedule, STOP ends every
 * stream cleanly, then STATS and BYE. It exits when its receiver goes away (end of file on stdin).
 */
public final class PacedSenderPeer {
    static final String TRANSPORT = "--transport";
    /** Endpoints of this JVM's streams, separated by spaces (no transport's endpoint contains one). */
    static final String CONNECT = "--connect";
    static final String FRAME = "--frame";
    static final String OPTIONS = "--options";
    static final String FPS = "--fps";
    static final String FIRST_STREAM = "--first-stream";
    static final String STREAMS_IN_RUN = "--streams-in-run";
    static final String TIMEOUT_SECONDS = "--timeout-seconds";

    private final PrintStream control;
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<PacedSendLoop> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopBeforeStart;
    private volatile boolean finishing;

    private PacedSenderPeer(PrintStream control) {
        this.control = control;
    }

    /**
     * @param firstStream  stream id of the first endpoint; the others follow
     * @param streamsInRun streams of the whole run, across every sender JVM (for the stagger)
     */
    public static List<String> arguments(String transport, List<String> endpoints, String frame, String options, PacedSchedule schedule,
                                         int firstStream, int streamsInRun, Duration timeout) {
        for (String endpoint : endpoints) {
            if (endpoint.isEmpty() || endpoint.chars().anyMatch(Character::isWhitespace)) {
                throw new TransportException(transport + ": endpoint '" + endpoint + "' is empty or holds white space; the paced sender cannot be told it");
            }
        }
        return List.of(TRANSPORT, transport, CONNECT, String.join(" ", endpoints), FRAME, frame, OPTIONS, options,
                FPS, Double.toString(schedule.fps()), FIRST_STREAM, Integer.toString(firstStream),
                STREAMS_IN_RUN, Integer.toString(streamsInRun), TIMEOUT_SECONDS, Long.toString(timeout.toSeconds()));
    }

    public static void main(String[] argv) {
        // stdout is the control channel: nothing else may print there.
        PrintStream control = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        new PacedSenderPeer(control).run(argv);
    }

    private void run(String[] argv) {
        List<FramePool> pools = new ArrayList<>();
        List<FrameSender> senders = new ArrayList<>();
        try {
            Args args = Args.parse("paced-sender-peer", argv,
                    Set.of(TRANSPORT, CONNECT, FRAME, OPTIONS, FPS, FIRST_STREAM, STREAMS_IN_RUN, TIMEOUT_SECONDS), Set.of());
            Transport transport = TransportRegistry.byName(args.require(TRANSPORT));
            FramePreset preset = FramePreset.byName(args.require(FRAME));
            TransportOptions options = TransportOptions.parse(args.get(OPTIONS, ""));
            PacedSchedule schedule = PacedSchedule.ofFps(args.require(FPS));
            int firstStream = (int) args.getLong(FIRST_STREAM, 0, 0, Integer.MAX_VALUE);
            Duration timeout = Duration.ofSeconds(args.getLong(TIMEOUT_SECONDS, 30, 1, 86_400));
            List<String> endpoints = List.of(args.require(CONNECT).trim().split(" +"));
            int streamsInRun = (int) args.getLong(STREAMS_IN_RUN, endpoints.size(), 1, PacedSchedule.MAX_STREAMS);

            Thread commands = new Thread(this::readCommands, "framebench-paced-peer-control");
            commands.setDaemon(true);
            commands.start();

            for (int i = 0; i < endpoints.size(); i++) {
                FramePool pool = new FramePool(preset);
                pools.add(pool);
                FrameSender sender = transport.openSender(endpoints.get(i), options);
                senders.add(sender);
                int streamId = firstStream + i;
                loops.add(new PacedSendLoop(sender, pool, streamId, schedule, schedule.phaseNanos(streamId, streamsInRun), 0, timeout));
            }
            control.println(ControlProtocol.READY + " pid=" + ProcessHandle.current().pid());
            if (!started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TransportException("receiver sent no START within " + timeout.toSeconds() + " s");
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            if (!stopBeforeStart) {
                for (int i = 0; i < loops.size(); i++) {
                    PacedSendLoop loop = loops.get(i);
                    FrameSender sender = senders.get(i);
                    Thread thread = new Thread(() -> {
                        try {
                            loop.run();
                            sender.close();
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                            loops.forEach(PacedSendLoop::stop);
                        }
                    }, "framebench-paced-sender-" + (firstStream + i));
                    threads.add(thread);
                    thread.start();
                }
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (failure.get() != null) {
                Throwable t = failure.get();
                throw t instanceof RuntimeException r ? r : new TransportException(t.toString(), t);
            }
            if (threads.isEmpty()) {
                senders.forEach(FrameSender::close);
            }
            long frames = loops.stream().mapToLong(PacedSendLoop::framesSent).sum();
            long bytes = loops.stream().mapToLong(PacedSendLoop::bytesSent).sum();
            long behind = loops.stream().mapToLong(PacedSendLoop::framesBehind).sum();
            long pid = ProcessHandle.current().pid();
            finishing = true;
            control.println(ControlProtocol.STATS + " {\"frames\":" + frames + ",\"bytes\":" + bytes + ",\"framesBehind\":" + behind
                    + ",\"cpuNanos\":" + ProcessCpu.processNanos(pid) + ",\"peakRssBytes\":" + PeakRss.bytes(pid) + "}");
            control.println(ControlProtocol.BYE);
            pools.forEach(FramePool::close);
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
        System.err.println("framebench paced sender: " + line);
        System.exit(1);
    }

    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case ControlProtocol.START -> started.countDown();
                    case ControlProtocol.STOP -> {
                        stopBeforeStart = true;
                        loops.forEach(PacedSendLoop::stop);
                        started.countDown();
                    }
                    default -> System.err.println("framebench paced sender: ignoring unknown command '" + line + "'");
                }
            }
        } catch (IOException e) {
            // Treated as end of file below: the receiver is unreachable either way.
        }
        if (!finishing) {
            System.err.println("framebench paced sender: receiver closed the control channel; exiting");
            System.exit(ControlProtocol.EXIT_ORPHANED);
        }
    }
}
