package dev.framebench.transport.shm;

import dev.framebench.error.TransportException;
import dev.framebench.frame.SenderHello;
import dev.framebench.transport.Backoff;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.RefusedSenders;
import dev.framebench.transport.RunToken;

import java.lang.foreign.MemorySegment;

/**
 * The run's hello on a shared-memory ring, where there is no connection to present it on: a producer slot
 * in the ring's control area holds the pid that claimed it, the claimer's {@link SenderHello}, and the
 * receiver's verdict (docs/WIRE.md, "The hello on a ring"). Both rings use it: {@code shm-ffm} and
 * {@code shm-agrona} have one slot, {@code shm-agrona-mpsc} one per sender.
 *
 * <p>The protocol, when the receiver was given a token (it says so in the control area):
 * <ol>
 *   <li>Sender: claim the slot, CAS {@code claimedPid} 0 -> own pid. If another pid holds it, wait: the
 *       receiver evicts a claim without the run's hello within {@link RunToken#HELLO_TIMEOUT}, so a stranger
 *       that claims first and stalls holds the real sender back for that long at most. If the holder is the
 *       accepted sender, fail at once.</li>
 *   <li>Sender: write the 24 hello bytes with plain stores, then {@code helloPid} = own pid with a release
 *       store: a receiver that reads its pid there with an acquire load sees the whole hello.</li>
 *   <li>Receiver, per claim: once {@code helloPid} equals {@code claimedPid}, check the hello. The run's
 *       token: discard whatever the ring holds (a stranger may have published records before it was
 *       evicted), then {@code acceptedPid} = pid with a release store, which publishes that reset too.
 *       Anything else, a claimer that died, or no hello by the deadline: evict (below) and count it.</li>
 *   <li>Sender: wait until {@code acceptedPid} is its pid (acquire), then read the ring's positions and
 *       start; if its claim was reset instead, it was refused, and it fails saying so.</li>
 * </ol>
 * Eviction: zero the hello, {@code helloPid} = 0 (release), reset what the claimer may have set (its closed
 * flag), then CAS {@code claimedPid} pid -> 0, whose full fence publishes all that before the next claim can
 * succeed. A same-user process that keeps writing a ring it was evicted from can still corrupt it (the 0600
 * file keeps other users out; nothing keeps a writable mapping honest): the receiver then fails with the
 * ring's own corruption error rather than delivering its bytes as frames.
 *
 * <p>Without a token the receiver takes the first claim as it always did and still records it in
 * {@code acceptedPid}; a sender then does not present a hello (it need not: the control area says no
 * token is required).
 *
 * <p>Threading: {@link Watch} belongs to the receiving thread; {@link #claim} and {@link #present} run on the
 * sending thread; the slot's fields are shared across processes as their accessors say.
 */
public final class RingHello {
    private RingHello() {
    }

    /** One producer slot of a ring's control area; each accessor states its memory ordering. */
    public interface Slot {
        /** {@code claimedPid}, acquire: 0 when free (shm-agrona-mpsc: negative once its sender closed cleanly). */
        long claimedPidAcquire();

        /** CAS {@code claimedPid} 0 -> {@code pid} (full fence); 0 when claimed, otherwise the holder's pid. */
        long claim(long pid);

        /** The {@link SenderHello#LENGTH} bytes the claimer writes its hello into (plain stores). */
        MemorySegment hello();

        /** Release store: publishes the hello written before it. */
        void helloPidRelease(long pid);

        long helloPidAcquire();

        /** Release store by the receiver, after it has reset what the accepted sender will find. */
        void acceptedPidRelease(long pid);

        long acceptedPidAcquire();

        /**
         * Receiver: zero the hello, {@code helloPid} = 0 and whatever else the claimer may have set (release
         * stores), then CAS {@code claimedPid} from {@code claimed} (as read: a pid, or its negative) to 0.
         */
        void evict(long claimed);
    }

    /**
     * Waits, once per run and never measured, for the producer a single-producer consumer may accept: without a
     * run token ({@code watch} null) the first to claim {@code slot}; with one, the first whose hello carries it
     * (strangers are evicted and counted by the watch). Plain backoff whatever the idle mode: no one would wake a
     * futex. Returns that producer's pid; the caller resets its queues for it, then publishes the acceptance.
     */
    public static long awaitProducer(Slot slot, Watch watch, long deadlineNanos, String awaiting) {
        Backoff backoff = new Backoff();
        long pid;
        if (watch == null) {
            while ((pid = slot.claimedPidAcquire()) == 0) {
                backoff.idle(deadlineNanos, awaiting);
            }
            return pid;
        }
        while ((pid = watch.poll(deadlineNanos)) == 0) {
            int evicted = watch.refused.count();
            backoff.idle(deadlineNanos, awaiting + " with the run's hello"
                    + (evicted == 0 ? "" : "; evicted " + evicted + " claim(s), see the lines above"));
        }
        return pid;
    }

    /**
     * The receiver's watch over one slot: who claims it, until when its hello is awaited, and the verdict.
     * Receiving thread only.
     */
    public static final class Watch {
        private final Slot slot;
        private final RunToken token;
        private final RefusedSenders refused;
        private final String ring;
        private long candidate;
        private long helloDeadlineNanos;

        /** {@code ring} names the ring in refusal lines, e.g. its file. */
        public Watch(Slot slot, RunToken token, RefusedSenders refused, String ring) {
            this.slot = slot;
            this.token = token;
            this.refused = refused;
            this.ring = ring;
        }

        /**
         * Looks at the slot once: the pid of a claimer whose hello carries the run's token (the caller resets
         * the ring for it, then calls {@link #accept}), or 0 while there is none; a claim that fails is
         * evicted here. A hello is awaited no longer than {@code awaitDeadlineNanos}.
         */
        public long poll(long awaitDeadlineNanos) {
            long pid = slot.claimedPidAcquire();
            long accepted = slot.acceptedPidAcquire();
            if (pid == 0 || pid == accepted || pid == -accepted) {
                // Free, or the accepted sender, open or (many producers) closed.
                candidate = 0;
                return 0;
            }
            if (pid < 0) {
                // Many producers: a claimer that came, wrote what it wrote and closed, all without a hello.
                evict(pid, "it closed its stream without presenting a hello");
                return 0;
            }
            if (pid != candidate) {
                candidate = pid;
                helloDeadlineNanos = RunToken.helloDeadline(awaitDeadlineNanos);
            }
            if (slot.helloPidAcquire() == pid) {
                int result = token.check(slot.hello());
                if (result == SenderHello.HELLO_OK) {
                    return pid;
                }
                evict(pid, SenderHello.refusal(slot.hello(), result));
            } else if (!RingWaiter.isAlive(pid)) {
                evict(pid, "its process died before presenting a hello");
            } else if (Deadline.expired(helloDeadlineNanos)) {
                evict(pid, "no hello within " + RunToken.HELLO_TIMEOUT.toMillis() + " ms or the receiver's deadline");
            }
            return 0;
        }

        /** {@code pid} is the sender: publishes the verdict, and with it every reset the caller made before. */
        public void accept(long pid) {
            slot.acceptedPidRelease(pid);
            candidate = 0;
        }

        /** {@code claimed} as the slot holds it: a pid, or (many producers, closed) its negative. */
        private void evict(long claimed, String reason) {
            slot.evict(claimed);
            candidate = 0;
            refused.refused("ring claim on " + ring + " by pid " + Math.abs(claimed), reason + "; " + RefusedSenders.WAITING_FOR_THE_SENDER);
        }
    }

    /**
     * Sender: claims {@code slot} for {@code pid}, waiting while a claim the receiver has not accepted holds
     * it (the receiver evicts such a claim), failing at once when the accepted sender holds it.
     * {@code receiverGone} is checked while waiting. Sending thread.
     */
    public static void claim(Slot slot, long pid, long deadlineNanos, String ring, RingWaiter.PeerCheck receiverGone) {
        Backoff backoff = new Backoff();
        long holder;
        while ((holder = slot.claim(pid)) != 0) {
            if (holder == slot.acceptedPidAcquire()) {
                throw new TransportException("ring " + ring + " already has a sender (pid " + holder + "); one sender per receiver");
            }
            failIfGone(receiverGone);
            backoff.idle(deadlineNanos, "waiting for the claim of pid " + holder + " on ring " + ring
                    + " to be evicted (the receiver evicts a claim without the run's hello within " + RunToken.HELLO_TIMEOUT.toMillis() + " ms)");
        }
    }

    /**
     * Sender, once {@code slot} is claimed for {@code pid}: writes the run's hello, publishes it, runs
     * {@code published} (ring the receiver's doorbell: it may be asleep on it), and waits until the receiver
     * accepts it; fails in one line if the receiver refuses it or the deadline passes.
     */
    public static void present(Slot slot, RunToken token, long pid, long deadlineNanos, String ring, RingWaiter.PeerCheck receiverGone,
                               Runnable published) {
        token.writeHello(slot.hello());
        slot.helloPidRelease(pid);
        published.run();
        Backoff backoff = new Backoff();
        while (slot.acceptedPidAcquire() != pid) {
            if (slot.claimedPidAcquire() != pid) {
                throw new TransportException("the receiver of ring " + ring + " refused this sender's hello (its claim was evicted):"
                        + " the token is not the receiver's; give both ends the same " + RunToken.KEY + "=");
            }
            failIfGone(receiverGone);
            backoff.idle(deadlineNanos, "waiting for the receiver of ring " + ring + " to accept this sender's hello");
        }
    }

    private static void failIfGone(RingWaiter.PeerCheck receiverGone) {
        String gone = receiverGone.deadPeer();
        if (gone != null) {
            throw new TransportException(gone);
        }
    }
}
