package dev.framebench.harness.peer;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameSender;

import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * A seam for the fault suite: a {@link FrameSender} decorator found with {@link ServiceLoader} on the
 * class path, applied by every sender framebench runs (peer JVMs and {@code framebench send}). No
 * implementation ships in benchmarks.jar; the test sources provide one that corrupts a chosen frame, so
 * test-only fault injection lives with the tests. A published run refuses to start while one is
 * {@link #active()}, so a corrupted stream can never produce a number.
 */
public interface SenderHook {
    /** {@code sender} itself, or a decorator of it. */
    FrameSender wrap(FrameSender sender);

    /** True when this hook would change what senders send (e.g. a fault is configured). */
    boolean active();

    /** What it does, for the refusal message. */
    String describe();

    /** Fails with one line when the hook is configured wrongly; called before any sender opens. */
    default void validate() {
    }

    /**
     * Opens a sender with {@code open} and applies every hook on the class path to it, in class-path
     * order; each hook is validated first, so a bad configuration fails before a connection is made.
     */
    static FrameSender open(Supplier<FrameSender> open) {
        List<SenderHook> hooks = installed();
        hooks.forEach(SenderHook::validate);
        FrameSender wrapped = open.get();
        for (SenderHook hook : hooks) {
            wrapped = hook.wrap(wrapped);
        }
        return wrapped;
    }

    static List<SenderHook> installed() {
        return ServiceLoader.load(SenderHook.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** Fails a published run when any installed hook is active. */
    static void refuseInPublishedRun(String command) {
        for (SenderHook hook : installed()) {
            if (hook.active()) {
                throw new BadInputException(command + ": " + hook.describe() + " is set; published runs refuse it, unset it"
                        + " (it exists for the fault suite only)");
            }
        }
    }
}
