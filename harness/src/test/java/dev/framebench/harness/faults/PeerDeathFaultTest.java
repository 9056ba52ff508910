package dev.framebench.harness.faults;

import dev.framebench.harness.run.StaleFiles;
import dev.framebench.harness.util.ExitStatus;
import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of either peer in the middle of a stream, for every transport with two JVMs: the run ends,
 * with one line naming the transport, the side, the pid and how it died; no process and no file is left.
 * The receiver JVM is a {@link FaultRig}, which runs the very {@code FrameSession} a JMH fork runs. Waits
 * keep their default 30 s deadline here, so a quick end proves the death was detected, not timed out.
 * Times are recorded in the matrix, not asserted against 5 s: the machine is shared.
 */
@Tag("faults")
class PeerDeathFaultTest {
    static final String SECTION = "1. A peer dies (SIGKILL)";
    /** How long a stream runs before the kill: frames have flowed for a while, as in a measurement iteration. */
    private static final long RUNNING_MILLIS = 700;
    /** Far above the 5 s the issue allows, so a slow machine records a slow time instead of a hang. */
    private static final long HANG_LIMIT_SECONDS = 60;

    static Stream<Transport> twoJvmTransports() {
        return TransportRegistry.all().stream().filter(t -> !t.singleProcess());
    }

    @AfterAll
    static void writeMatrix() {
        for (Transport t : TransportRegistry.all()) {
            if (t.singleProcess()) {
                FaultMatrix.record(SECTION, "sender or receiver killed", t.name(), true, -1,
                        "n/a: sender and receiver are threads of one JVM by design; its death is the run's death");
            }
        }
        FaultMatrix.write();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoJvmTransports")
    void senderKilledMidStreamEndsTheRunNamingTransportSidePidAndSignal(Transport transport) {
        String observed = "";
        boolean passed = false;
        long millis = -1;
        try (RigRun run = RigRun.start(transport, "720p-i420", 30, "")) {
            Thread.sleep(RUNNING_MILLIS);
            SecurityFaultTest.checkRunningReceiver(run);
            long killed = System.nanoTime();
            RigRun.signal("KILL", run.senderPid);
            millis = run.awaitLine("framebench: ", killed, HANG_LIMIT_SECONDS);
            assertNotEquals(-1, millis, transport.name() + ": no failure line " + HANG_LIMIT_SECONDS + " s after the sender was killed");
            assertNotEquals(-1, RigRun.awaitExit(run.rigPid(), killed, HANG_LIMIT_SECONDS),
                    transport.name() + ": the receiver JVM outlived its killed sender by " + HANG_LIMIT_SECONDS + " s");
            String stderr = run.stderr();
            observed = RigRun.lineWith(stderr, "framebench: ");
            assertNotEquals(0, run.rigExit(), "a dead sender must fail the run");
            assertTrue(observed.startsWith("framebench: " + transport.name() + ": "), observed);
            assertTrue(observed.contains("sender JVM pid " + run.senderPid + " was killed by signal 9 (SIGKILL)"), observed);
            assertEquals(List.of(), run.leftoverProcesses(10_000), "processes left");
            assertEquals(List.of(), run.leftoverFiles(), "files left");
            passed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            FaultMatrix.record(SECTION, "sender killed", transport.name(), passed, millis, observed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoJvmTransports")
    void receiverKilledMidStreamMakesTheSenderExitAndItsFilesAreSwept(Transport transport) {
        String observed = "";
        boolean passed = false;
        long millis = -1;
        try (RigRun run = RigRun.start(transport, "720p-i420", 30, "")) {
            Thread.sleep(RUNNING_MILLIS);
            long killed = System.nanoTime();
            RigRun.signal("KILL", run.rigPid());
            millis = RigRun.awaitExit(run.senderPid, killed, HANG_LIMIT_SECONDS);
            assertNotEquals(-1, millis, transport.name() + ": the sender JVM outlived its killed receiver by " + HANG_LIMIT_SECONDS + " s");
            // The receiver's own line, as its parent (the JMH host; here the test) sees it.
            String receiverFate = "receiver JVM pid " + run.rigPid() + " " + ExitStatus.describe(run.rigExit());
            // The sender's own line went to its receiver, which copies its peers' stderr and is dead: a peer
            // never holds its receiver's inherited pipe (an orphan could keep the JMH host waiting for ever).
            // It exits by itself, with ExitStatus.ORPHANED, as the wait above shows.
            observed = transport.name() + ": " + receiverFate + "; the sender exited " + millis + " ms after";
            assertTrue(receiverFate.endsWith("was killed by signal 9 (SIGKILL)"), receiverFate);
            assertEquals(List.of(), run.leftoverProcesses(10_000), "processes left");
            // SIGKILL runs no shutdown hook: the host's sweep (BenchCommand does it after every run) removes them.
            int before = run.leftoverFiles().size();
            StaleFiles.sweep(TransportOptions.parse(RigRun.privateOptions(transport, run.privateDir)));
            StaleFiles.sweep(java.util.Set.of(run.privateDir));
            assertEquals(List.of(), run.leftoverFiles(), "files left after the host's sweep");
            observed += " [" + before + " file(s) of the killed receiver removed by the host's stale sweep]";
            passed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            FaultMatrix.record(SECTION, "receiver killed", transport.name(), passed, millis, observed);
        }
    }
}
