package dev.framebench.harness.browser;

import dev.framebench.harness.accounting.ProcessTree;
import dev.framebench.harness.profiler.CollapsedStacks;
import dev.framebench.harness.profiler.PerfRecorder;
import dev.framebench.harness.profiler.SenderFlames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The browser's end of flame-graph recording: answers the {@link SenderFlames} commands a JVM sender peer
 * answers with async-profiler, with Linux {@code perf} sampling every process of the browser instead
 * ({@link PerfRecorder}), each stack rooted at its process's kind (renderer, network, ...). Failures are
 * replies, never exceptions: a profile that cannot be made must not stop the stream.
 *
 * <p>Threading: the benchmark's flame-graph window, one command at a time.
 */
public final class BrowserFlames implements AutoCloseable {
    private final ChromiumProcess browser;
    private PerfRecorder perf;

    public BrowserFlames(ChromiumProcess browser) {
        this.browser = browser;
    }

    /** The reply to one command (after the PROFILE keyword), as {@link SenderFlames#handle} answers. */
    public String handle(String command) {
        String[] words = command.trim().split(" ", 2);
        try {
            return switch (words[0]) {
                case SenderFlames.PREPARE -> prepare();
                case SenderFlames.RESUME -> {
                    requireStarted().enable();
                    yield "running";
                }
                case SenderFlames.PAUSE -> {
                    requireStarted().disable();
                    yield "paused";
                }
                case SenderFlames.FINISH -> {
                    Path prefix = Path.of(words.length > 1 ? words[1].trim() : "");
                    CollapsedStacks stacks = requireStarted().finish(prefix,
                            pid -> ChromiumProcessKinds.kindOf(ProcessTree.argv(pid)), "the chromium sender (perf)");
                    yield "written " + stacks.total();
                }
                default -> SenderFlames.FAILED + " unknown command " + words[0];
            };
        } catch (IOException | IllegalStateException e) {
            return SenderFlames.FAILED + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    private String prepare() throws IOException {
        Optional<String> why = PerfRecorder.unavailable();
        if (why.isPresent()) {
            return SenderFlames.UNAVAILABLE + " no flame graph of the chromium sender: async-profiler samples JVMs, and " + why.get();
        }
        int processes = browser.tree().processes().size();
        // The browser's private folder: perf's data goes with the browser, even when the run is killed.
        perf = PerfRecorder.start(browser.tree().processes().stream().map(ProcessHandle::pid).toList(), browser.privateDir());
        return SenderFlames.READY + " perf-cpu-clock perf record -e cpu-clock -g on the browser's " + processes
                + " processes (frame-pointer stacks; Debian's chromium is stripped, so its own frames show as [chromium])";
    }

    private PerfRecorder requireStarted() {
        if (perf == null) {
            throw new IllegalStateException("PREPARE first");
        }
        return perf;
    }

    @Override
    public void close() {
        if (perf != null) {
            perf.close();
        }
    }
}
