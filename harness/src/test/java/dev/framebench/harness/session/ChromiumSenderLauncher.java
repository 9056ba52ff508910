package dev.framebench.harness.session;

import dev.framebench.transport.Deadline;
import dev.framebench.transport.FrameReceiver;
import dev.framebench.transport.RunToken;
import dev.framebench.transport.TransportOptions;

/**
 * A JVM that launches a Chromium sender, says {@value #SENDING} with the browser's pid and private directory,
 * and receives until it is killed: {@link ChromiumSendersCleanupTest} kills it with SIGKILL.
 */
public final class ChromiumSenderLauncher {
    static final String SENDING = "SENDING";

    private ChromiumSenderLauncher() {
    }

    public static void main(String[] args) {
        RunToken token = RunToken.random();
        FrameReceiver receiver = ChromiumSendersCleanupTest.WS_NETTY.openReceiver(TransportOptions.NONE.with(RunToken.KEY, token.hex()),
                ChromiumSendersCleanupTest.PRESET.frameBytes());
        ChromiumSenders senders = ChromiumSendersCleanupTest.startSending(receiver, token);
        System.out.println(SENDING + " " + senders.browser().pid() + " " + senders.browser().privateDir());
        System.out.flush();
        while (true) {
            receiver.receive(Deadline.after(ChromiumSendersCleanupTest.TIMEOUT));
            receiver.release();
        }
    }
}
