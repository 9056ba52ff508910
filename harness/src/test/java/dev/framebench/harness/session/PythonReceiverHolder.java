package dev.framebench.harness.session;

import dev.framebench.frame.ConsumeMode;
import dev.framebench.frame.FramePreset;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.time.Duration;

/**
 * TEST ONLY: a JVM that starts a python receiver, prints its pid and waits to be killed, so that
 * {@link PythonReceiverTest} can SIGKILL the JVM and watch the receiver end by itself. It never closes the
 * receiver: after 60 s it exits, which would end the receiver the same way.
 */
public final class PythonReceiverHolder {
    private PythonReceiverHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        TransportOptions options = TransportOptions.NONE.with(RunToken.KEY, RunToken.random().hex());
        PythonReceiver receiver = PythonReceiver.open(TransportRegistry.byName("ws-netty"), FramePreset.P720_I420, ConsumeMode.VERIFY, options,
                Duration.ofSeconds(20));
        System.out.println(receiver.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
