package dev.framebench.harness.session;

import dev.framebench.error.TransportException;
import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FrameConsumer;
import dev.framebench.frame.FrameHeader;
import dev.framebench.frame.FramePool;
import dev.framebench.frame.FramePreset;
import dev.framebench.harness.faults.SenderFault;
import dev.framebench.harness.peer.Jvm;
import dev.framebench.harness.peer.SendLoop;
import dev.framebench.transport.FrameSender;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's Python receiver against real senders: a sender JVM over ws-netty and ws-javaws through
 * {@link FrameSession}, as the benchmark runs it; a corrupted frame; strangers; the death of the JVM that
 * started it. Every case runs Debian's {@code /usr/bin/python3} with python3-websockets and python3-crcmod
 * (or {@code FRAMEBENCH_PYTHON}'s interpreter), and fails, never skips, when they are missing.
 */
class PythonReceiverTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final FramePreset PRESET = FramePreset.P720_I420;
    private static final Pattern VERIFY_LINE = Pattern.compile("frame verification failed: stream=(-?\\d+) sequence=(-?\\d+) field=(\\S+) expected=(.+?) actual=(\\S+)");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ws-netty", "ws-javaws"})
    void framesOfASenderJvmArriveVerifiedAndNothingIsLeft(String name) {
        Transport transport = TransportRegistry.byName(name);
        Set<Path> dirsBefore = scriptDirs();
        long frames = 40;
        long pid;
        long drained;
        WindowSample sample;
        FrameSession session = FrameSession.open(transport, PRESET, TransportOptions.NONE, ConsumeMode.VERIFY, SenderKind.JVM, ReceiverKind.PYTHON,
                TIMEOUT);
        try {
            Map<String, String> described = session.describe();
            pid = Long.parseLong(described.get("python.pid"));
            assertEquals("verify", described.get("python.consume"), described.toString());
            assertTrue(described.get("python.crc32c").startsWith("crcmod._crcfunext"), described.toString());
            long started = System.nanoTime();
            for (long i = 0; i < frames; i++) {
                MemorySegment frame = session.receive();
                assertEquals(i, FrameHeader.sequence(frame), "receipts in the order python received the frames");
                assertEquals(PRESET.frameBytes(), frame.byteSize());
                assertTrue(frame.isReadOnly());
                FrameConsumer.headerOnly(frame);
                session.release();
            }
            long elapsedNanos = System.nanoTime() - started;
            sample = session.sample();
            System.err.printf("python receiver over %s, consume verify, %s: %d frames in %.2f s (%.1f frames/s)%n", name, PRESET, frames,
                    elapsedNanos / 1e9, frames * 1e9 / elapsedNanos);
            drained = session.stopAndDrain(frame -> { });
            assertNotNull(session.senderStats());
            assertEquals(frames + drained, session.senderStats().frames(), "every frame sent was received");
        } finally {
            session.close();
        }
        assertEquals(frames, session.framesReceived(), "frames the benchmark received; stopAndDrain counts apart");
        assertEquals(frames * PRESET.frameBytes(), session.bytesReceived());
        assertTrue(sample.receiverCpuNanos() > 0, "the receiver's CPU is the python process's: " + sample);
        assertEquals(Map.of("python", sample.receiverCpuByKind().get("python")), sample.receiverCpuByKind());
        assertGone(pid);
        assertEquals(dirsBefore, scriptDirs(), "script directories left");
    }

    /** Each consume mode takes a whole 1080p stream from a sender in this JVM, without a token (the first sender is taken). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ConsumeMode.class)
    void everyConsumeModeTakesTheWholeStream(ConsumeMode consume) throws InterruptedException {
        Transport transport = TransportRegistry.byName("ws-netty");
        FramePreset preset = FramePreset.P1080_I420;
        long frames = 60;
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        try (PythonReceiver receiver = PythonReceiver.open(transport, preset, consume, TransportOptions.NONE, TIMEOUT);
             FramePool pool = new FramePool(preset)) {
            assertEquals(consume.modeName(), receiver.describe().get("python.consume"));
            Thread sender = new Thread(() -> {
                try (FrameSender s = transport.openSender(receiver.endpoint(), TransportOptions.NONE)) {
                    new SendLoop(s, pool, 0, frames, TIMEOUT).run();
                } catch (Throwable t) {
                    senderFailure.set(t);
                }
            }, "python-test-sender");
            sender.setDaemon(true);
            sender.start();
            receiver.awaitSender(System.nanoTime() + TIMEOUT.toNanos());
            long started = System.nanoTime();
            long received = 0;
            MemorySegment frame;
            while ((frame = receiver.receive(System.nanoTime() + TIMEOUT.toNanos())) != null) {
                assertEquals(received, FrameHeader.sequence(frame));
                assertEquals(preset.frameBytes(), frame.byteSize());
                receiver.release();
                received++;
            }
            long elapsedNanos = System.nanoTime() - started;
            sender.join(TIMEOUT.toMillis());
            assertNull(senderFailure.get(), () -> "sender failed: " + senderFailure.get());
            assertEquals(frames, received);
            assertEquals(0, receiver.foreignConnectionsRefused());
            System.err.printf("python receiver, consume %s, %s from a ws-netty sender in the test JVM: %.1f frames/s%n", consume.modeName(), preset,
                    (frames - 1) * 1e9 / elapsedNanos);
        }
    }

    /** The same corruption, once under a JVM receiver (consuming with verify here) and once under the python receiver. */
    @ParameterizedTest(name = "{0} receiver")
    @EnumSource(ReceiverKind.class)
    void aCorruptedFrameFailsTheRunAsWithAJvmReceiver(ReceiverKind kind) {
        Transport transport = TransportRegistry.byName("ws-netty");
        Set<Path> dirsBefore = scriptDirs();
        String before = System.getProperty("framebench.peer.jvmArgs");
        System.setProperty("framebench.peer.jvmArgs", "-D" + SenderFault.PROPERTY + "=flip-payload-bit@5");
        FrameSession session;
        try {
            session = FrameSession.open(transport, PRESET, TransportOptions.NONE, ConsumeMode.VERIFY, SenderKind.JVM, kind, TIMEOUT);
        } finally {
            if (before == null) {
                System.clearProperty("framebench.peer.jvmArgs");
            } else {
                System.setProperty("framebench.peer.jvmArgs", before);
            }
        }
        String pid = session.describe().get("python.pid");
        TransportException failure;
        try {
            var verify = ConsumeMode.VERIFY.newConsumer();
            failure = assertThrows(TransportException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    MemorySegment frame = session.receive();
                    if (kind == ReceiverKind.JVM) {
                        verify.consume(frame);
                    }
                    session.release();
                }
            });
        } finally {
            session.close();
        }
        Matcher m = VERIFY_LINE.matcher(failure.getMessage());
        assertTrue(m.find(), failure.getMessage());
        assertEquals(List.of("0", "5", "payloadCrc32c"), List.of(m.group(1), m.group(2), m.group(3)), failure.getMessage());
        assertFalse(m.group(4).equals(m.group(5)), failure.getMessage());
        assertEquals(5, session.framesReceived() - (kind == ReceiverKind.JVM ? 1 : 0), "frames 0..4 passed, frame 5 failed");
        if (kind == ReceiverKind.PYTHON) {
            assertGone(Long.parseLong(pid));
        }
        assertEquals(dirsBefore, scriptDirs(), "script directories left");
    }

    /**
     * Strangers: a TCP connection that closes at once, one that never sends a handshake, a WebSocket that
     * sends no hello, one with another run's hello, and one after the sender: each refused and counted, while
     * the real sender is taken at once and keeps its stream.
     */
    @Test
    void strangersAreRefusedAndCountedWhileTheSenderStaysTaken() throws Exception {
        Transport transport = TransportRegistry.byName("ws-netty");
        RunToken token = RunToken.random();
        TransportOptions options = TransportOptions.NONE.with(RunToken.KEY, token.hex());
        HttpClient http = HttpClient.newHttpClient();
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        try (PythonReceiver receiver = PythonReceiver.open(transport, PRESET, ConsumeMode.VERIFY, options, TIMEOUT);
             FramePool pool = new FramePool(PRESET)) {
            URI uri = URI.create("ws://" + receiver.endpoint() + "/frames");
            String[] hostPort = receiver.endpoint().split(":");
            new Socket(hostPort[0], Integer.parseInt(hostPort[1])).close();
            assertEquals(1, awaitRefused(receiver, 1), "a connection closed before its handshake");
            Socket silentTcp = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
            silentTcp.setSoTimeout(10_000);
            Closes silent = new Closes();
            http.newWebSocketBuilder().buildAsync(uri, silent).get(10, TimeUnit.SECONDS);
            long silentSince = System.nanoTime();
            Closes wrongToken = new Closes();
            WebSocket other = http.newWebSocketBuilder().buildAsync(uri, wrongToken).get(10, TimeUnit.SECONDS);
            other.sendBinary(ByteBuffer.wrap(hello(RunToken.random())), true);
            assertEquals(1008, wrongToken.code.get(10, TimeUnit.SECONDS), "another run's hello is closed with 1008");
            assertEquals(2, awaitRefused(receiver, 2));

            // Sends until told to stop: the stream must outlast the silent stranger's 5 s.
            FrameSender sending = transport.openSender(receiver.endpoint(), options);
            SendLoop loop = new SendLoop(sending, pool, 0, 0, TIMEOUT);
            Thread sender = new Thread(() -> {
                try {
                    loop.run();
                    sending.close();
                } catch (Throwable t) {
                    senderFailure.set(t);
                }
            }, "python-test-sender");
            sender.setDaemon(true);
            sender.start();
            receiver.awaitSender(System.nanoTime() + TIMEOUT.toNanos());
            assertTrue(System.nanoTime() - silentSince < TimeUnit.SECONDS.toNanos(4), "the silent stranger did not hold the sender back");

            assertNotNull(receiver.receive(System.nanoTime() + TIMEOUT.toNanos()));
            long received = 1;
            // Refused during the handshake (403): the sender has been taken.
            assertThrows(ExecutionException.class, () -> http.newWebSocketBuilder().buildAsync(uri, new Closes()).get(10, TimeUnit.SECONDS));
            while (!silent.code.isDone()) {
                assertNotNull(receiver.receive(System.nanoTime() + TIMEOUT.toNanos()), "the stream goes on while strangers are refused");
                received++;
            }
            long silentMillis = (System.nanoTime() - silentSince) / 1_000_000;
            assertEquals(1008, silent.code.get(), "the silent stranger is closed with 1008");
            assertTrue(silentMillis >= 4_900, "the silent stranger was closed after " + silentMillis + " ms, not 5 s");
            assertEquals(-1, silentTcp.getInputStream().read(), "a connection without a handshake is dropped after 5 s");
            silentTcp.close();
            loop.stop();
            while (receiver.receive(System.nanoTime() + TIMEOUT.toNanos()) != null) {
                received++;
            }
            sender.join(TIMEOUT.toMillis());
            assertNull(senderFailure.get(), () -> "sender failed: " + senderFailure.get());
            assertEquals(loop.framesSent(), received, "the sender's whole stream arrived");
            assertEquals(5, receiver.foreignConnectionsRefused(), "closed at once, wrong token, after the sender, no handshake, no hello");
        }
    }

    /** The JVM that started the python receiver is SIGKILLed: its stdin reaches end of file and it exits by itself. */
    @Test
    void theReceiverEndsWithTheJvmThatStartedIt() throws Exception {
        Set<Path> dirsBefore = scriptDirs();
        Process holder = new ProcessBuilder(Jvm.javaBinary(), "-Xmx128m", "-cp", Jvm.classPath(), PythonReceiverHolder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long pid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            String pidLine = line.get(30, TimeUnit.SECONDS);
            assertNotNull(pidLine, "the holder JVM exited before printing the python receiver's pid");
            pid = Long.parseLong(pidLine.strip());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "python receiver pid " + pid + " running");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        long killed = System.nanoTime();
        assertGone(pid);
        System.err.printf("python receiver pid %d exited %.0f ms after its JVM was SIGKILLed%n", pid, (System.nanoTime() - killed) / 1e6);
        assertEquals(dirsBefore, scriptDirs(), "script directories left");
    }

    /** A ws option the python receiver cannot honour fails before a process starts. */
    @Test
    void unmaskedFramesAreRefusedBeforeAnythingStarts() {
        var e = assertThrows(dev.framebench.error.BadInputException.class, () -> PythonReceiver.open(TransportRegistry.byName("ws-netty"), PRESET,
                ConsumeMode.NONE, TransportOptions.parse("ws.mask=false"), TIMEOUT));
        assertTrue(e.getMessage().startsWith("receiver python cannot take ws-netty option ws.mask=false"), e.getMessage());
    }

    static byte[] hello(RunToken token) {
        ByteBuffer hello = token.helloBuffer();
        byte[] bytes = new byte[hello.remaining()];
        hello.get(bytes);
        return bytes;
    }

    private static int awaitRefused(PythonReceiver receiver, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (receiver.foreignConnectionsRefused() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return receiver.foreignConnectionsRefused();
    }

    /**
     * Waits up to 5 s for {@code pid} to have exited. A zombie has: once its parent JVM is gone it waits for
     * the container's init to reap it, which may take a while and is no work of the receiver's.
     */
    static void assertGone(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (running(pid)) {
            assertTrue(System.nanoTime() < deadline, "python receiver pid " + pid + " still running");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** The python receivers' script directories in the temporary directory now. */
    static Set<Path> scriptDirs() {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("framebench-python-")).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A WebSocket client's listener that records the close code the server sent. */
    private static final class Closes implements WebSocket.Listener {
        final CompletableFuture<Integer> code = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            code.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            code.completeExceptionally(error);
        }
    }
}
