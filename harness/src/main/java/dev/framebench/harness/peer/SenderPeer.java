package dev.framebench.harness.peer;

import dev.framebench.transport.RunToken;
import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.accounting.PeakRss;
import dev.framebench.harness.accounting.ProcessCpu;
import dev.framebench.harness.profiler.SenderFlames;
import dev.framebench.harness.util.Args;
import dev.framebench.harness.util.CpuAffinity;
import dev.framebench.harness.util.CpuPinning;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.Transport;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Main class of every sender JVM a receiver launches, saturation and paced alike: one send loop thread
 * per stream it is given (one stream in saturation; thread-per-stream paced runs give it every stream, a
 * process-per-stream run starts one of these per stream), each with its own transport sender and frame
 * pool. Spoken to over {@link ControlProtocol}: READY once every stream is connected, START begins every
 * stream, STOP ends every stream cleanly, then STATS ({@link SenderStats}) and BYE; PROFILE is answered
 * with PROFILED ({@link SenderFlames}). It exits when its receiver goes away: end of file on stdin, or
 * the parent process gone ({@link ParentWatch}), with {@link ExitStatus#ORPHANED}.
 */
public final class SenderPeer {
    static final String TRANSPORT = "--transport";
    /** Endpoints of this JVM's streams, separated by spaces (no transport's endpoint contains one). */
    static final String CONNECT = "--connect";
    static final String FRAME = "--frame";
    static final String OPTIONS = "--options";
    /** Frames per second of each stream; absent: as fast as the transport takes them. */
    static final String FPS = "--fps";
    static final String FIRST_STREAM = "--first-stream";
    static final String STREAMS_IN_RUN = "--streams-in-run";
    static final String TIMEOUT_SECONDS = "--timeout-seconds";
    /** The environment variable that carries the run's token, when there is one (an environment is readable only by its owner). */
    public static final String TOKEN_ENV = "FRAMEBENCH_TOKEN";

    private final PrintStream control;
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<SenderLoop> loops = new CopyOnWriteArrayList<>();
    private final SenderFlames flames = new SenderFlames();
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

    /** Arguments of a saturation sender of one stream. */
    public static List<String> saturation(String transport, String endpoint, String frame, String options, int streamId, Duration timeout) {
        return arguments(transport, List.of(endpoint), frame, options, null, streamId, streamId + 1, timeout);
    }

    /**
     * Arguments of a sender of {@code endpoints.size()} streams, paced by {@code schedule} or, when it is
     * null, as fast as the transport takes them.
     *
     * @param firstStream  stream id of the first endpoint; the others follow
     * @param streamsInRun streams of the whole run, across every sender JVM (for the paced stagger)
     */
    public static List<String> arguments(String transport, List<String> endpoints, String frame, String options, PacedSchedule schedule,
                                         int firstStream, int streamsInRun, Duration timeout) {
        for (String endpoint : endpoints) {
            if (endpoint.isEmpty() || endpoint.chars().anyMatch(Character::isWhitespace)) {
                throw new TransportException(transport + ": endpoint '" + endpoint + "' is empty or holds white space; the sender cannot be told it");
            }
        }
        List<String> args = new ArrayList<>(List.of(TRANSPORT, transport, CONNECT, String.join(" ", endpoints), FRAME, frame, OPTIONS, options,
                FIRST_STREAM, Integer.toString(firstStream), STREAMS_IN_RUN, Integer.toString(streamsInRun),
                TIMEOUT_SECONDS, Long.toString(timeout.toSeconds())));
        if (schedule != null) {
            args.addAll(List.of(FPS, Double.toString(schedule.fps())));
        }
        return args;
    }

    public static void main(String[] argv) {
        // stdout is the control channel: nothing else may print there.
        PrintStream control = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        new SenderPeer(control).run(argv);
    }

    private void run(String[] argv) {
        List<FramePool> pools = new ArrayList<>();
        List<FrameSender> senders = new ArrayList<>();
        try {
            Args args = Args.parse("sender-peer", argv,
                    Set.of(TRANSPORT, CONNECT, FRAME, OPTIONS, FPS, FIRST_STREAM, STREAMS_IN_RUN, TIMEOUT_SECONDS), Set.of());
            Transport transport = TransportRegistry.byName(args.require(TRANSPORT));
            who = "framebench sender (" + transport.name() + ", pid " + ProcessHandle.current().pid() + ")";
            ParentWatch.start(who + ": its receiver JVM pid {pid} is gone; exiting", ExitStatus.ORPHANED);
            CpuPinning pinning = CpuPinning.fromProperty();
            if (pinning.pinned()) {
                // Before any frame or pool: every thread this JVM has now, and those it starts later inherit it.
                long pid = ProcessHandle.current().pid();
                CpuAffinity.pinProcess(pid, pinning.sender());
                System.err.println("[framebench] sender JVM pid " + pid + " pinned: Cpus_allowed_list " + CpuAffinity.allowedList(pid));
            }
            FramePreset preset = FramePreset.byName(args.require(FRAME));
            TransportOptions options = withToken(TransportOptions.parse(args.get(OPTIONS, "")));
            PacedSchedule schedule = args.has(FPS) ? PacedSchedule.ofFps(args.require(FPS)) : null;
            int firstStream = (int) args.getLong(FIRST_STREAM, 0, 0, Integer.MAX_VALUE);
            Duration timeout = Duration.ofSeconds(args.getLong(TIMEOUT_SECONDS, 30, 1, 86_400));
            List<String> endpoints = List.of(args.require(CONNECT).trim().split(" +"));
            int streamsInRun = (int) args.getLong(STREAMS_IN_RUN, firstStream + endpoints.size(), 1, PacedSchedule.MAX_STREAMS);

            Thread commands = new Thread(this::readCommands, "framebench-peer-control");
            commands.setDaemon(true);
            commands.start();

            for (int i = 0; i < endpoints.size(); i++) {
                String endpoint = endpoints.get(i);
                FrameSender sender = SenderHook.open(() -> transport.openSender(endpoint, options));
                senders.add(sender);
                FramePool pool = SenderFrames.poolFor(sender, preset);
                pools.add(pool);
                int streamId = firstStream + i;
                loops.add(schedule == null ? new SendLoop(sender, pool, streamId, 0, timeout)
                        : new PacedSendLoop(sender, pool, streamId, schedule, schedule.phaseNanos(streamId, streamsInRun), 0, timeout));
            }
            control.println(ControlProtocol.READY + " pid=" + ProcessHandle.current().pid());
            if (!started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new TransportException("receiver sent no START within " + timeout.toSeconds() + " s");
            }
            sendUntilStopped(senders);
            SenderStats stats = stats();
            finishing = true;
            control.println(ControlProtocol.STATS + " " + stats.toJson());
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

    /** {@code options} with the run's token from {@link #TOKEN_ENV}, when it is set. */
    public static TransportOptions withToken(TransportOptions options) {
        String token = System.getenv(TOKEN_ENV);
        return token == null || token.isBlank() ? options : options.with(RunToken.KEY, RunToken.parse(token.trim()).hex());
    }

    /** One thread per stream; the first failure stops every stream and is rethrown here. */
    private void sendUntilStopped(List<FrameSender> senders) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        if (!stopBeforeStart) {
            for (int i = 0; i < loops.size(); i++) {
                SenderLoop loop = loops.get(i);
                FrameSender sender = senders.get(i);
                Thread thread = new Thread(() -> {
                    try {
                        loop.run();
                        sender.close();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        loops.forEach(SenderLoop::stop);
                    }
                }, "framebench-sender-" + i);
                threads.add(thread);
                thread.start();
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw t instanceof RuntimeException r ? r : new TransportException(t.toString(), t);
        }
        if (threads.isEmpty()) {
            senders.forEach(FrameSender::close);
        }
    }

    private SenderStats stats() {
        long pid = ProcessHandle.current().pid();
        return new SenderStats(loops.stream().mapToLong(SenderLoop::framesSent).sum(), loops.stream().mapToLong(SenderLoop::bytesSent).sum(),
                loops.stream().mapToLong(SenderLoop::framesBehind).sum(), ProcessCpu.processNanos(pid), PeakRss.bytes(pid));
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
                        stopBeforeStart = true;
                        loops.forEach(SenderLoop::stop);
                        started.countDown();
                    }
                    default -> {
                        if (line.startsWith(ControlProtocol.PROFILE + " ")) {
                            control.println(ControlProtocol.PROFILED + " " + flames.handle(line.substring(ControlProtocol.PROFILE.length())));
                        } else {
                            System.err.println(who + ": ignoring unknown command '" + line + "'");
                        }
                    }
                }
            }
        } catch (IOException e) {
            // Treated as end of file below: the receiver is unreachable either way.
        }
        if (!finishing) {
            System.err.println(who + ": its receiver JVM pid " + receiverPid + " closed the control channel (died or hung up); exiting");
            System.exit(ExitStatus.ORPHANED);
        }
    }
}
