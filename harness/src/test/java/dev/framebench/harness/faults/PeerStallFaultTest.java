package dev.framebench.harness.faults;

import dev.framebench.transport.Transport;
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
 * SIGSTOP of either peer in the middle of a stream: a stopped process is alive, so only deadlines can
 * end the wait. With a 2 s timeout (the default is 30 s) the other side must fail with one line after
 * about that long, and the run must end leaving nothing behind.
 */
@Tag("faults")
class PeerStallFaultTest {
    static final String SECTION = "2. A peer stalls (SIGSTOP)";
    static final int TIMEOUT_SECONDS = 2;
    private static final long RUNNING_MILLIS = 500;
    private static final long HANG_LIMIT_SECONDS = 60;

    static Stream<Transport> twoJvmTransports() {
        return PeerDeathFaultTest.twoJvmTransports();
    }

    @AfterAll
    static void writeMatrix() {
        FaultMatrix.write();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoJvmTransports")
    void stoppedSenderFailsTheReceiverAtItsDeadline(Transport transport) {
        String observed = "";
        boolean passed = false;
        long millis = -1;
        try (RigRun run = RigRun.start(transport, "720p-i420", TIMEOUT_SECONDS, "")) {
            Thread.sleep(RUNNING_MILLIS);
            long stopped = System.nanoTime();
            RigRun.signal("STOP", run.senderPid);
            millis = run.awaitLine("framebench: ", stopped, HANG_LIMIT_SECONDS);
            assertNotEquals(-1, millis, transport.name() + ": the receiver waited on a stopped sender for " + HANG_LIMIT_SECONDS + " s");
            assertNotEquals(-1, RigRun.awaitExit(run.rigPid(), stopped, HANG_LIMIT_SECONDS), "the receiver JVM must exit");
            observed = RigRun.lineWith(run.stderr(), "framebench: ");
            assertNotEquals(0, run.rigExit(), "a stalled sender must fail the run");
            assertTrue(observed.startsWith("framebench: " + transport.name() + ": "), observed);
            assertTrue(observed.contains("sender JVM pid " + run.senderPid + " is alive but sent nothing for " + TIMEOUT_SECONDS + " s"), observed);
            // The receiver's close kills a sender that cannot answer STOP: nothing is left.
            assertEquals(List.of(), run.leftoverProcesses(10_000), "processes left");
            assertEquals(List.of(), run.leftoverFiles(), "files left");
            passed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            FaultMatrix.record(SECTION, "sender stopped", transport.name(), passed, millis, observed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twoJvmTransports")
    void stoppedReceiverFailsTheSenderAtItsDeadline(Transport transport) {
        String observed = "";
        boolean passed = false;
        long millis = -1;
        try (RigRun run = RigRun.start(transport, "720p-i420", TIMEOUT_SECONDS, "")) {
            Thread.sleep(RUNNING_MILLIS);
            long stopped = System.nanoTime();
            RigRun.signal("STOP", run.rigPid());
            millis = RigRun.awaitExit(run.senderPid, stopped, HANG_LIMIT_SECONDS);
            assertNotEquals(-1, millis, transport.name() + ": the sender waited on a stopped receiver for " + HANG_LIMIT_SECONDS + " s");
            // Woken again, the receiver finds its sender gone and fails the run itself. The sender's own line
            // reaches stderr through the receiver, which copies its peers' stderr, so it shows once the receiver runs.
            RigRun.signal("CONT", run.rigPid());
            long rigMillis = RigRun.awaitExit(run.rigPid(), System.nanoTime(), HANG_LIMIT_SECONDS);
            String senderLine = RigRun.lineWith(run.stderr(), "framebench sender (");
            String receiverLine = RigRun.lineWith(run.stderr(), "framebench: ");
            observed = senderLine + " / then, continued: " + receiverLine;
            assertTrue(senderLine.startsWith("framebench sender (" + transport.name() + ", pid " + run.senderPid + "): "), senderLine);
            assertTrue(senderLine.contains("timed out"), senderLine);
            assertNotEquals(-1, rigMillis, "the continued receiver must end the run");
            assertNotEquals(0, run.rigExit(), "the run must fail");
            assertTrue(receiverLine.startsWith("framebench: " + transport.name() + ": "), receiverLine);
            assertTrue(receiverLine.contains("sender JVM pid " + run.senderPid + " exited with status 1"), receiverLine);
            assertEquals(List.of(), run.leftoverProcesses(10_000), "processes left");
            assertEquals(List.of(), run.leftoverFiles(), "files left");
            passed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            FaultMatrix.record(SECTION, "receiver stopped", transport.name(), passed, millis, observed);
        }
    }
}
