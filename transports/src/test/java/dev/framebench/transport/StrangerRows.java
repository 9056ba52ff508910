package dev.framebench.transport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records each {@link StrangerTest} case as a row of the reliability matrix: the scenario (its method name
 * in words), the transport (its argument), passed or not, and how long it took, into
 * {@code target/stranger-rows.tsv}. The harness's fault suite adds these rows to docs/RELIABILITY.md as its
 * section "6. Strangers" when {@code scripts/reliability-doc.sh} runs both ({@code framebench.faults.import}),
 * so the doc shows the transport-level stranger cases beside the harness-level faults.
 *
 * <p>Threading: JUnit runs StrangerTest's methods one at a time; methods are synchronized anyway.
 */
final class StrangerRows implements BeforeTestExecutionCallback, AfterTestExecutionCallback, AfterAllCallback {
    private final List<String> rows = new ArrayList<>();
    private long startedNanos;

    @Override
    public synchronized void beforeTestExecution(ExtensionContext context) {
        startedNanos = System.nanoTime();
    }

    @Override
    public synchronized void afterTestExecution(ExtensionContext context) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        String transport = context.getDisplayName().replaceFirst("^\\[\\d+\\]\\s*", "");
        String scenario = words(context.getRequiredTestMethod());
        String observed = context.getExecutionException()
                .map(e -> "FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage())
                .orElse("as named: asserted by StrangerTest." + context.getRequiredTestMethod().getName());
        boolean passed = context.getExecutionException().isEmpty();
        rows.add(String.join("\t", scenario, transport, Boolean.toString(passed), Long.toString(millis),
                observed.replace('\t', ' ').replace('\n', ' ')));
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        Path target = Path.of(System.getProperty("framebench.strangers.rows", "target/stranger-rows.tsv"));
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.write(target, rows, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "aStrangerThatSendsGarbageFirstIsRefused" as "a stranger that sends garbage first is refused". */
    static String words(Method method) {
        return method.getName().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
