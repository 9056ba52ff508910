package dev.framebench.harness.peer;

import java.util.Optional;

/**
 * Ends this JVM when the process that started it is gone. End of file on the control channel already
 * tells a sender peer its receiver died; this watch also covers a receiver that died while something
 * else (a grandchild, a debugger) still holds the pipe open, so a sender never outlives its parent.
 *
 * <p>Threading: one daemon thread polls the parent's liveness every {@link #POLL_MILLIS} ms.
 */
public final class ParentWatch {
    /** How often the parent is looked at: a fifth of a second keeps a death well inside the 5 s budget. */
    public static final long POLL_MILLIS = 200;

    private ParentWatch() {
    }

    /**
     * Starts watching the current parent; when it dies, prints {@code message} with the parent's pid to
     * stderr and exits with {@code status}. Does nothing when this JVM has no parent it can see.
     */
    public static void start(String message, int status) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        ProcessHandle watched = parent.get();
        long pid = watched.pid();
        Thread thread = new Thread(() -> {
            while (watched.isAlive()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println(message.replace("{pid}", Long.toString(pid)));
            System.exit(status);
        }, "framebench-parent-watch");
        thread.setDaemon(true);
        thread.start();
    }
}
