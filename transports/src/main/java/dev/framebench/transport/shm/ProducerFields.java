package dev.framebench.transport.shm;

import dev.framebench.error.BadInputException;
import dev.framebench.error.TransportException;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.RunToken;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The producer's fields that shm-ffm's ring and shm-slots share, at the same offsets of their control areas
 * (docs/WIRE.md): who holds the producer side ({@code producerPid}), whether it closed ({@code producerClosed}),
 * and the run's hello with its {@code helloPid} and {@code acceptedPid}, which {@link RingHello} checks. One
 * place for their memory ordering, so a peer in C reads both files alike.
 *
 * <p>Threading: every method is one atomic access of shared memory, safe from any thread or process.
 */
public final class ProducerFields {
    public static final int PRODUCER_PID_OFFSET = 32;
    public static final int PRODUCER_CLOSED_OFFSET = 40;
    public static final int HELLO_REQUIRED_OFFSET = 44;
    public static final int HELLO_PID_OFFSET = 48;
    public static final int ACCEPTED_PID_OFFSET = 56;
    public static final int HELLO_OFFSET = 64;

    private static final VarHandle INT_FIELD = JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG_FIELD = JAVA_LONG.varHandle().withInvokeExactBehavior();

    private final MemorySegment header;
    private final RingHello.Slot slot;

    /** Over {@code header}, the mapped control area whose fields start at offset 0. */
    public ProducerFields(MemorySegment header) {
        this.header = header;
        this.slot = new Slot(header.asSlice(HELLO_OFFSET, SenderHello.LENGTH));
    }

    /** Claims the producer side for {@code pid}; returns 0 if claimed, else the pid of the producer that holds it. */
    public long claim(long pid) {
        return (long) LONG_FIELD.compareAndExchange(header, (long) PRODUCER_PID_OFFSET, 0L, pid);
    }

    public long pidAcquire() {
        return (long) LONG_FIELD.getAcquire(header, (long) PRODUCER_PID_OFFSET);
    }

    /** Whether the consumer takes only a producer that presents the run's hello; read after the magic's acquire. */
    public boolean helloRequired() {
        return header.get(JAVA_INT, HELLO_REQUIRED_OFFSET) != 0;
    }

    /** Consumer, before it accepts a producer: a stranger may have marked the stream closed. Published by acceptedPid. */
    public void closedReset() {
        INT_FIELD.setRelease(header, (long) PRODUCER_CLOSED_OFFSET, 0);
    }

    /** Producer: after its last publication, so a consumer that sees closed sees the final position. */
    public void closedRelease() {
        INT_FIELD.setRelease(header, (long) PRODUCER_CLOSED_OFFSET, 1);
    }

    public boolean closedAcquire() {
        return (int) INT_FIELD.getAcquire(header, (long) PRODUCER_CLOSED_OFFSET) != 0;
    }

    /**
     * The producer's side of attaching to a single-producer file: claims it for process {@code pid}. Without a
     * token on the receiver's side ({@code helloRequired} 0) a file that has a producer refuses with one line; with
     * one, this producer presents {@code token}'s hello and returns once the receiver has accepted it
     * ({@link RingHello}), by {@code deadlineNanos}, or fails at once when the receiver (pid {@code consumerPid}) dies.
     *
     * @param what the file in messages, e.g. "ring /dev/shm/framebench-ffm-12-1"
     */
    public void attach(long pid, long consumerPid, RunToken token, long deadlineNanos, Path file, String what) {
        if (!helloRequired()) {
            long holder = claim(pid);
            if (holder != 0) {
                throw new TransportException(what + " already has a sender (pid " + holder + "); one sender per receiver");
            }
            return;
        }
        if (token == null) {
            throw new BadInputException(what + " takes only a sender that presents the run's token; give this sender the receiver's "
                    + RunToken.KEY + "=");
        }
        RingWaiter.PeerCheck receiverGone = () -> RingWaiter.isAlive(consumerPid) ? null
                : "receiver pid " + consumerPid + " died; nothing consumes " + what;
        RingHello.claim(slot, pid, deadlineNanos, file.toString(), receiverGone);
        // The receiver polls for the hello (it sleeps on no futex before it has a sender): nothing to ring.
        RingHello.present(slot, token, pid, deadlineNanos, file.toString(), receiverGone, () -> { });
    }

    /** The one producer slot of {@link RingHello}: producerPid, helloPid, acceptedPid and the hello. */
    public RingHello.Slot slot() {
        return slot;
    }

    private final class Slot implements RingHello.Slot {
        private final MemorySegment hello;

        Slot(MemorySegment hello) {
            this.hello = hello;
        }

        @Override
        public long claimedPidAcquire() {
            return pidAcquire();
        }

        @Override
        public long claim(long pid) {
            return ProducerFields.this.claim(pid);
        }

        @Override
        public MemorySegment hello() {
            return hello;
        }

        @Override
        public void helloPidRelease(long pid) {
            LONG_FIELD.setRelease(header, (long) HELLO_PID_OFFSET, pid);
        }

        @Override
        public long helloPidAcquire() {
            return (long) LONG_FIELD.getAcquire(header, (long) HELLO_PID_OFFSET);
        }

        @Override
        public void acceptedPidRelease(long pid) {
            LONG_FIELD.setRelease(header, (long) ACCEPTED_PID_OFFSET, pid);
        }

        @Override
        public long acceptedPidAcquire() {
            return (long) LONG_FIELD.getAcquire(header, (long) ACCEPTED_PID_OFFSET);
        }

        /** Hello and helloPid zeroed, producerClosed reset, then the CAS: its full fence orders them before the next claim. */
        @Override
        public void evict(long pid) {
            hello.fill((byte) 0);
            LONG_FIELD.setRelease(header, (long) HELLO_PID_OFFSET, 0L);
            closedReset();
            boolean unused = LONG_FIELD.compareAndSet(header, (long) PRODUCER_PID_OFFSET, pid, 0L);
        }
    }
}
