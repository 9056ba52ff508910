package dev.framebench.harness.faults;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of s3-handoff's store (the S3Proxy JVM its receiver started) in the middle of a stream: the run
 * ends with one line naming the transport and the store, and leaves no process (sender, receiver, store)
 * and no file (the store's private folder) behind.
 */
@Tag("faults")
class StoreDeathFaultTest {
    private static final long RUNNING_MILLIS = 700;
    private static final long HANG_LIMIT_SECONDS = 60;

    @AfterAll
    static void writeMatrix() {
        FaultMatrix.write();
    }

    @Test
    void aKilledStoreEndsTheRunWithOneLineAndLeavesNothing() {
        Transport transport = TransportRegistry.byName("s3-handoff");
        String observed = "";
        boolean passed = false;
        long millis = -1;
        try (RigRun run = RigRun.start(transport, "720p-i420", 30, "")) {
            Thread.sleep(RUNNING_MILLIS);
            List<ProcessHandle> stores = run.rig.toHandle().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("dev.framebench.transport.s3.StoreWatch")).toList();
            assertEquals(1, stores.size(), "one store JVM under the receiver: " + stores);
            long killed = System.nanoTime();
            RigRun.signal("KILL", stores.getFirst().pid());
            millis = run.awaitLine("framebench: ", killed, HANG_LIMIT_SECONDS);
            assertNotEquals(-1, millis, "no failure line " + HANG_LIMIT_SECONDS + " s after the store was killed");
            assertNotEquals(-1, RigRun.awaitExit(run.rigPid(), killed, HANG_LIMIT_SECONDS), "the receiver outlived its store");
            observed = RigRun.lineWith(run.stderr(), "framebench: ");
            assertNotEquals(0, run.rigExit(), "a dead store must fail the run");
            assertTrue(observed.startsWith("framebench: s3-handoff: "), observed);
            assertTrue(observed.contains("s3-handoff's store (S3Proxy ") && observed.contains(") has exited"), "the line names the store: " + observed);
            assertTrue(run.stderr().contains("could not reach bucket") || run.stderr().contains("the store has exited"),
                    "no line says the store is gone: " + run.stderr());
            assertEquals(List.of(), run.leftoverProcesses(10_000), "processes left");
            assertEquals(List.of(), run.leftoverFiles(), "files left");
            passed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            FaultMatrix.record(PeerDeathFaultTest.SECTION, "object store killed", transport.name(), passed, millis, observed);
        }
    }
}
