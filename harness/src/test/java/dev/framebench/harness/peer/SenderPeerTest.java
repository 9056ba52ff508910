package dev.framebench.harness.peer;

import dev.framebench.harness.util.ExitStatus;
import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender JVM never outlives its receiver, and says why it fails. */
class SenderPeerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void exitsWhenItsReceiverHangsUpTheControlChannel() throws Exception {
        try (FrameReceiver receiver = TransportRegistry.byName("tcp").openReceiver(TransportOptions.NONE)) {
            PeerProcess peer = PeerProcess.launch("sender", SenderPeer.class,
                    SenderPeer.saturation("tcp", receiver.endpoint(), "720p-i420", "", 0, TIMEOUT));
            try {
                peer.await(ControlProtocol.READY, Deadline.after(TIMEOUT));
                receiver.awaitSender(Deadline.after(TIMEOUT));
                peer.command(ControlProtocol.START);
                receiver.receive(Deadline.after(TIMEOUT));
                receiver.release();
                // What the OS does when the receiver JVM dies: the sender's stdin reaches end of file.
                ProcessHandle handle = ProcessHandle.of(peer.pid()).orElseThrow();
                peer.closeCommands();
                assertTrue(handle.onExit().get(20, TimeUnit.SECONDS) != null);
                assertFalse(handle.isAlive());
                assertEquals("exited with status " + ExitStatus.ORPHANED, peer.exitDescription(1000));
            } finally {
                peer.close(0);
            }
        }
    }

    @Test
    void reportsBadArgumentsAsAnErrorReplyAndExitsNonZero() {
        PeerProcess peer = PeerProcess.launch("sender", SenderPeer.class,
                SenderPeer.saturation("tcp", "127.0.0.1:1", "4k-i420", "", 0, TIMEOUT));
        try {
            var e = assertThrows(dev.framebench.error.TransportException.class,
                    () -> peer.await(ControlProtocol.READY, Deadline.after(TIMEOUT)));
            assertTrue(e.getMessage().startsWith("sender failed: unknown frame '4k-i420'; valid frames: "), e.getMessage());
            assertEquals("exited with status 1", peer.exitDescription(10_000));
        } finally {
            peer.close(0);
        }
    }
}
