package dev.framebench.transport.socket;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Enforces deadlines on blocking channels, which have no timeout of their own: an I/O thread arms a
 * deadline before a blocking call and disarms it after (two volatile writes); one daemon thread closes
 * any channel whose armed deadline has passed, which wakes the blocked call with an
 * {@code AsynchronousCloseException}. Resolution is {@link #TICK_MILLIS}, ample for deadlines of seconds.
 */
final class DeadlineWatchdog {
    static final long TICK_MILLIS = 50;
    private static final CopyOnWriteArrayList<Armed> WATCHED = new CopyOnWriteArrayList<>();

    static {
        Thread thread = new Thread(DeadlineWatchdog::run, "framebench-deadline-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    private DeadlineWatchdog() {
    }

    /** One channel's deadline, which counts only while armed. */
    static final class Armed {
        private final Channel channel;
        private volatile boolean armed;
        private volatile long deadlineNanos;
        private volatile boolean fired;

        private Armed(Channel channel) {
            this.channel = channel;
        }

        void arm(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
            this.armed = true;
        }

        void disarm() {
            armed = false;
        }

        boolean fired() {
            return fired;
        }

        void unwatch() {
            WATCHED.remove(this);
        }
    }

    static Armed watch(Channel channel) {
        Armed armed = new Armed(channel);
        WATCHED.add(armed);
        return armed;
    }

    private static void run() {
        while (true) {
            long now = System.nanoTime();
            for (Armed a : WATCHED) {
                if (a.armed && now - a.deadlineNanos >= 0) {
                    a.fired = true;
                    try {
                        a.channel.close();
                    } catch (IOException ignored) {
                        // Closing is the whole point; a failure to close leaves nothing else to do.
                    }
                    WATCHED.remove(a);
                }
            }
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
