package dev.framebench.harness.python;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.error.TransportTimeoutException;
import dev.framebench.frame.FrameVerificationException;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.transport.Deadline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the Python receiver script ({@code framebench_receiver.py}, shipped beside this class) and the
 * report it writes ({@link ReceiverReport}): extracts the script into a private directory, starts it with the
 * run's token in its environment, and turns its records into answers with deadlines: the port it listens on,
 * the sender taken, each frame's receipt, the clean end or the failure.
 *
 * <p>A reader thread takes the records off the process's stdout into a small bounded queue, so a wait has a
 * deadline although a pipe read has none. The queue and the pipe are back-pressure, not a buffer: while
 * nobody takes receipts, the reader blocks, the pipe fills, the script's next write blocks, and it stops
 * reading frames, so the sender is held back as by a JVM receiver that is not receiving.
 *
 * <p>No process outlives this object or this JVM: {@link #close()} kills it, and the script exits by itself
 * when its stdin, a pipe only this JVM holds, reaches end of file (this JVM died, even by SIGKILL).
 *
 * <p>Threading: {@link #awaitSenderTaken} may run on one thread while another waits for receipts; every
 * other call from one thread.
 */
public final class PythonReceiverProcess implements AutoCloseable {
    /** The environment variable the token reaches the script in: an environment is readable only by its owner, argv by all. */
    public static final String TOKEN_ENV = "FRAMEBENCH_TOKEN";
    static final String SCRIPT = "framebench_receiver.py";
    /** Receipts read ahead of the receiving thread: enough to hand over without a stall, few enough to keep back-pressure. */
    private static final int RECEIPTS_AHEAD = 8;
    private static final int STDERR_LINES_KEPT = 3;
    private static final long EXIT_WAIT_MILLIS = 2_000;
    private static final Pattern VERIFICATION = Pattern.compile(
            "frame verification failed: stream=(-?\\d+) sequence=(-?\\d+) field=(\\S+) expected=(.*) actual=(\\S+)");

    private final Process process;
    private final PythonInterpreter interpreter;
    private final Path scriptDir;
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private final CompletableFuture<String> taken = new CompletableFuture<>();
    private final BlockingQueue<ReceiverReport.Record> receipts = new ArrayBlockingQueue<>(RECEIPTS_AHEAD);
    private final ArrayDeque<String> lastStderrLines = new ArrayDeque<>();
    private final Thread reader;
    private volatile int refused;
    private volatile Map<String, String> description = Map.of();
    /** What ended the report: set before the end marker is queued. */
    private volatile RuntimeException failure;
    /** The receiving thread saw the end: null again at DONE, or {@link #failure} again. */
    private boolean ended;

    /** Stands in the queue for the report's end (DONE, FAIL, or the process gone): {@link #failure} says which. */
    private static final ReceiverReport.Record END = new ReceiverReport.Record(0, ByteBuffer.allocate(0));

    private PythonReceiverProcess(Process process, PythonInterpreter interpreter, Path scriptDir) {
        this.process = process;
        this.interpreter = interpreter;
        this.scriptDir = scriptDir;
        this.reader = new Thread(this::readReport, "framebench-python-" + process.pid() + "-report");
        reader.setDaemon(true);
        reader.start();
        Thread diagnostics = new Thread(this::copyDiagnostics, "framebench-python-" + process.pid() + "-stderr");
        diagnostics.setDaemon(true);
        diagnostics.start();
    }

    /**
     * Starts the script under {@code interpreter}, consuming each frame as {@code consumeMode} ({@code none},
     * {@code read}, {@code verify}) says; {@code tokenHex} null takes the first sender. Frames larger than
     * {@code maxMessageBytes}, or stating more than {@code maxPayloadBytes}, fail the stream.
     */
    public static PythonReceiverProcess start(PythonInterpreter interpreter, String consumeMode, String tokenHex, int maxMessageBytes,
                                              int maxPayloadBytes) {
        interpreter.requireExecutable();
        Path dir = extractScript();
        List<String> command = List.of(interpreter.path().toString(),
                // Isolated: no PYTHONPATH, no user site, no current directory on the path, so nothing of this
                // environment can stand in for the websockets module the report was measured with.
                "-I", dir.resolve(SCRIPT).toString(),
                "--consume", consumeMode, "--max-message-bytes", Integer.toString(maxMessageBytes),
                "--max-payload-bytes", Integer.toString(maxPayloadBytes));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().remove(TOKEN_ENV);
            if (tokenHex != null) {
                builder.environment().put(TOKEN_ENV, tokenHex);
            }
            return new PythonReceiverProcess(builder.start(), interpreter, dir);
        } catch (IOException e) {
            deleteScript(dir);
            throw new BadInputException("cannot start the python receiver's interpreter " + interpreter.path() + " (" + interpreter.source()
                    + "): " + e.getMessage() + "; install Debian's packages python3 python3-websockets python3-crcmod, or set "
                    + PythonInterpreter.ENV + " to a Python 3 interpreter that has websockets");
        }
    }

    /** The script in a new directory only this user can enter: another local user must not swap it before it runs. */
    private static Path extractScript() {
        Path dir = null;
        try (InputStream script = PythonReceiverProcess.class.getResourceAsStream(SCRIPT)) {
            if (script == null) {
                throw new IllegalStateException(SCRIPT + " is missing beside " + PythonReceiverProcess.class.getName() + " in the class path");
            }
            dir = Files.createTempDirectory("framebench-python-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.copy(script, dir.resolve(SCRIPT));
            return dir;
        } catch (IOException e) {
            if (dir != null) {
                deleteScript(dir);
            }
            throw new TransportException("cannot write the python receiver's script into a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void deleteScript(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(SCRIPT));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("framebench: cannot delete the python receiver's script directory " + dir + ": " + e.getMessage());
        }
    }

    /** The loopback port it listens on, once it says so. */
    public int awaitListening(long deadlineNanos) {
        int port = await(listening, deadlineNanos, "LSTN (listening)");
        // Python has compiled the script by now: the directory goes at once, so not even a SIGKILL of this JVM leaves it.
        deleteScript(scriptDir);
        return port;
    }

    /** Waits until a sender has been taken (with a token: it presented the run's hello). */
    public void awaitSenderTaken(long deadlineNanos) {
        await(taken, deadlineNanos, "TAKN (a sender taken)");
    }

    /**
     * The next receipt's body ({@link ReceiverReport#RECEIPT_BODY_BYTES}: receive time and header), or null once
     * the sender has closed cleanly. Throws the receiver's failure ({@link FrameVerificationException} for a
     * verify failure, as a JVM receiver's), and {@link TransportTimeoutException} at the deadline.
     */
    public ByteBuffer nextReceipt(long deadlineNanos) {
        if (ended) {
            return end();
        }
        ReceiverReport.Record record;
        try {
            record = receipts.poll(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted waiting for the python receiver pid " + pid());
        }
        if (record == null) {
            throw new TransportTimeoutException("the python receiver pid " + pid() + " reported no frame by the deadline ("
                    + (process.isAlive() ? "alive" : ExitStatus.describe(process.exitValue())) + ")");
        }
        if (record == END) {
            ended = true;
            return end();
        }
        return record.body();
    }

    private ByteBuffer end() {
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    /** Connections refused so far, as the last RFSD record said. */
    public int refused() {
        return refused;
    }

    /** What the script reported of itself (python, websockets, crc32c, pid), with the interpreter file. */
    public Map<String, String> description() {
        return description;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public long pid() {
        return process.pid();
    }

    /** Closes the script's stdin (it exits by itself), then kills it if it has not within 2 s, and deletes the script. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Already closed, or the process is gone: either way its stdin is at end of file.
        }
        try {
            if (!process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    System.err.println("framebench: the python receiver pid " + pid() + " did not end within 5 s of SIGKILL");
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            // The reader may be blocked handing a receipt nobody will take.
            reader.interrupt();
            deleteScript(scriptDir);
        }
    }

    private <T> T await(CompletableFuture<T> answer, long deadlineNanos, String record) {
        try {
            return answer.get(Math.max(0, Deadline.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new TransportException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new TransportTimeoutException("the python receiver pid " + pid() + " did not report " + record + " by the deadline ("
                    + (process.isAlive() ? "alive" : ExitStatus.describe(process.exitValue())) + ")" + stderrTail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted waiting for " + record + " from the python receiver pid " + pid());
        }
    }

    private void readReport() {
        RuntimeException end;
        try (InputStream in = process.getInputStream()) {
            end = readUntilTheEnd(in);
        } catch (IOException | RuntimeException e) {
            end = new TransportException("the python receiver pid " + pid() + " broke its report: " + e.getMessage() + stderrTail(), e);
        } catch (InterruptedException e) {
            // close(): nobody waits for the rest.
            return;
        }
        failure = end;
        if (end != null) {
            listening.completeExceptionally(end);
            taken.completeExceptionally(end);
        }
        try {
            receipts.put(END);
        } catch (InterruptedException ignored) {
            // close(): nobody waits for the end.
        }
    }

    /** Reads records until DONE (returns null), FAIL or the end of the report (returns the failure). */
    private RuntimeException readUntilTheEnd(InputStream in) throws IOException, InterruptedException {
        long receiptsRead = 0;
        while (true) {
            ReceiverReport.Record record = ReceiverReport.read(in);
            if (record == null) {
                return gone();
            }
            int tag = record.tag();
            if (tag == ReceiverReport.TAG_RECEIPT) {
                receipts.put(record);
                receiptsRead++;
            } else if (tag == ReceiverReport.TAG_LISTENING) {
                description = describe(record);
                listening.complete(Short.toUnsignedInt(record.body().getShort(0)));
            } else if (tag == ReceiverReport.TAG_TAKEN) {
                taken.complete(record.text(0));
            } else if (tag == ReceiverReport.TAG_REFUSED) {
                refused = record.body().getInt(0);
            } else if (tag == ReceiverReport.TAG_DONE) {
                long frames = record.body().getLong(0);
                // Every frame it counted must have reached this JVM as a receipt, or the benchmark's count is wrong.
                return frames == receiptsRead ? null : new TransportException("the python receiver pid " + pid() + " received " + frames
                        + " frames but reported " + receiptsRead + " receipts");
            } else if (tag == ReceiverReport.TAG_FAIL) {
                return failure(record.body().get(0), record.text(1));
            } else {
                throw new TransportException("unknown record " + record.tagName());
            }
        }
    }

    private Map<String, String> describe(ReceiverReport.Record listening) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("receiver", "python");
        d.put("python.interpreter", interpreter.path().toString());
        for (String line : listening.text(2).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                d.put(line.startsWith("python") ? line.substring(0, eq) : "python." + line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return Collections.unmodifiableMap(d);
    }

    /** A FAIL record as the JVM's own receivers would throw it. */
    private RuntimeException failure(int kind, String line) {
        if (kind == ReceiverReport.FAIL_BAD_INPUT) {
            return new BadInputException(line);
        }
        Matcher m = VERIFICATION.matcher(line);
        if (kind == ReceiverReport.FAIL_VERIFICATION && m.matches()) {
            FrameVerificationException e = new FrameVerificationException(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), m.group(3),
                    m.group(4), m.group(5));
            e.initCause(new TransportException("found by the python receiver pid " + pid()));
            return e;
        }
        return new TransportException("python receiver pid " + pid() + ": " + line);
    }

    /** The report ended without DONE or FAIL: the process died. */
    private RuntimeException gone() {
        String how;
        try {
            how = process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS) ? ExitStatus.describe(process.exitValue()) : "closed its stdout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "closed its stdout";
        }
        return new TransportException("the python receiver (" + interpreter.path() + ", pid " + pid() + ") " + how
                + " without reporting an end of stream" + stderrTail());
    }

    private void copyDiagnostics() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.err.println(line);
                synchronized (lastStderrLines) {
                    if (lastStderrLines.size() == STDERR_LINES_KEPT) {
                        lastStderrLines.removeFirst();
                    }
                    lastStderrLines.addLast(line);
                }
            }
        } catch (IOException ignored) {
            // The process is gone: it has nothing more to say.
        }
    }

    /** "; its stderr ended: ..." with the last lines it wrote, or nothing. */
    private String stderrTail() {
        List<String> lines;
        synchronized (lastStderrLines) {
            lines = new ArrayList<>(lastStderrLines);
        }
        return lines.isEmpty() ? "" : "; its stderr ended: " + String.join(" | ", lines);
    }

    /** For tests: the script's stdin, which this JVM alone holds. */
    OutputStream stdin() {
        return process.getOutputStream();
    }
}
