package dev.framebench.transport.aeron;

import dev.framebench.transport.StagingBuffer;
import dev.framebench.transport.Backoff;
import dev.framebench.transport.FrameSender;
import dev.framebench.error.TransportException;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.shm.ShmFiles;
import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.RegistrationException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes one frame per Aeron message on an exclusive IPC publication of the receiver's driver.
 * {@link #send} offers the caller's frame straight from its memory, and {@code offer} copies it into the
 * log, fragment by fragment: one copy per frame. {@link #claim} hands out a staging buffer that
 * {@link #commit()} offers ({@code tryClaim} cannot serve a message larger than one fragment).
 * Back-pressure ({@code BACK_PRESSURED}, {@code ADMIN_ACTION}) waits with a backoff until the deadline.
 *
 * <p>Given a token, its first message is the run's 24-byte hello, offered when it opens: the receiver takes
 * the first publication that starts so.
 *
 * <p>Threading: one sending thread; Aeron's client conductor runs a thread of its own.
 */
final class AeronIpcSender implements FrameSender {
    /** How long opening waits for the receiver's subscription to take the hello, as socket senders wait to connect. */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);

    private final Aeron aeron;
    private final ExclusivePublication publication;
    private final String aeronDirectory;
    private final String awaitingTake;
    private final String awaitingSubscriber;
    private final UnsafeBuffer frameBuffer = new UnsafeBuffer(0, 0);
    private final Backoff backoff = new Backoff();
    private final StagingBuffer staging = new StagingBuffer();
    /** The receiver's pid, from its driver folder's name ({@code framebench-aeron-<pid>-<n>}), or -1 when the name says none. */
    private final long receiverPid;
    private long nextReceiverCheckNanos;
    /** Set by the Aeron client's conductor thread (driver timeout, ...); read by the sending thread. */
    private final AtomicReference<Throwable> clientError;

    private AeronIpcSender(Aeron aeron, ExclusivePublication publication, String aeronDirectory, AtomicReference<Throwable> clientError) {
        this.aeron = aeron;
        this.publication = publication;
        this.aeronDirectory = aeronDirectory;
        this.clientError = clientError;
        Path parent = Path.of(aeronDirectory).getParent();
        this.receiverPid = parent == null ? -1 : ShmFiles.ownerPid(parent.getFileName().toString());
        // Built once: the back-pressure loop below runs per spin and must not allocate.
        this.awaitingTake = "waiting for the aeron-ipc receiver to take a frame (back-pressured) on " + aeronDirectory;
        this.awaitingSubscriber = "waiting for an aeron-ipc receiver to subscribe on " + aeronDirectory;
    }

    /**
     * Connects to the receiver's driver and adds the publication, with this process's pid in its alias for
     * the receiver's liveness check. Without a token the session id is the receiver's, so the driver refuses
     * a second sender; with one ({@code token} not null) the driver picks it, and the hello goes first.
     */
    static AeronIpcSender open(AeronIpcEndpoint endpoint, RunToken token) {
        Aeron aeron;
        // Aeron's default handler exits the JVM when the driver stops answering; fail the send with one line instead.
        AtomicReference<Throwable> clientError = new AtomicReference<>();
        try {
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(endpoint.aeronDirectory())
                    .errorHandler(e -> clientError.compareAndSet(null, e)));
        } catch (AeronException | IllegalStateException e) {
            throw new TransportException("cannot reach the aeron-ipc receiver's driver at " + endpoint.aeronDirectory() + ": " + e.getMessage(), e);
        }
        try {
            ChannelUri channel = ChannelUri.parse(endpoint.channel());
            channel.put(CommonContext.ALIAS_PARAM_NAME, SenderPid.alias(ProcessHandle.current().pid()));
            AeronIpcSender sender = new AeronIpcSender(aeron, aeron.addExclusivePublication(channel.toString(), endpoint.streamId()),
                    endpoint.aeronDirectory(), clientError);
            if (token != null) {
                byte[] hello = new byte[SenderHello.LENGTH];
                token.helloBuffer().get(hello);
                try {
                    sender.offer(new UnsafeBuffer(hello), hello.length, Deadline.after(HELLO_TIMEOUT));
                } catch (RuntimeException e) {
                    sender.close();
                    throw e;
                }
            }
            return sender;
        } catch (RegistrationException e) {
            aeron.close();
            if (e.getMessage().contains("clashing sessionId")) {
                throw new TransportException("aeron-ipc receiver at " + endpoint.aeronDirectory() + " already has a sender (session "
                        + AeronIpcEndpoint.SESSION_ID + " of stream " + endpoint.streamId() + " is taken); a second one is refused");
            }
            throw new TransportException("aeron-ipc publication refused by the driver at " + endpoint.aeronDirectory() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            aeron.close();
            throw e;
        }
    }

    @Override
    public MemorySegment claim(int frameBytes, long deadlineNanos) {
        return staging.claim(frameBytes, deadlineNanos);
    }

    @Override
    public void commit() {
        staging.commit(this::send);
    }

    @Override
    public void send(MemorySegment frame, long deadlineNanos) {
        int length = Math.toIntExact(frame.byteSize());
        TermLength.requireFits(length, publication.termBufferLength());
        if (!frame.isNative()) {
            FrameSender.super.send(frame, deadlineNanos);
            return;
        }
        frameBuffer.wrap(frame.address(), length);
        offer(frameBuffer, length, deadlineNanos);
    }

    private void offer(DirectBuffer buffer, int length, long deadlineNanos) {
        backoff.reset();
        long result;
        while ((result = publication.offer(buffer, 0, length)) < 0) {
            checkReceiver();
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION) {
                backoff.idle(deadlineNanos, awaitingTake);
            } else if (result == Publication.NOT_CONNECTED) {
                backoff.idle(deadlineNanos, awaitingSubscriber);
            } else {
                throw new TransportException("aeron-ipc publication on " + aeronDirectory + " "
                        + (result == Publication.CLOSED ? "is closed (receiver or driver gone?)" : "reached its maximum position"));
            }
        }
    }

    /**
     * The driver lives in the receiver's JVM: once that process is gone nothing will ever take a frame, so
     * say so at once rather than at the deadline (or at Aeron's 10 s driver timeout). Looked at every 100 ms.
     */
    private void checkReceiver() {
        Throwable error = clientError.get();
        if (error != null) {
            throw new TransportException("aeron-ipc client on " + aeronDirectory + " failed: " + error.getMessage(), error);
        }
        long now = System.nanoTime();
        if (receiverPid <= 0 || now - nextReceiverCheckNanos < 0) {
            return;
        }
        nextReceiverCheckNanos = now + 100_000_000L;
        if (!ProcessHandle.of(receiverPid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new TransportException("aeron-ipc receiver pid " + receiverPid + " is gone (its driver at " + aeronDirectory + " with it)");
        }
    }

    /**
     * Closes the publication first, which waits for the driver to mark end of stream after the last whole
     * message (closing only the client would leave that to the driver's next client check), then the client.
     */
    @Override
    public void close() {
        try {
            publication.close();
            aeron.close();
        } finally {
            staging.close();
        }
    }
}
