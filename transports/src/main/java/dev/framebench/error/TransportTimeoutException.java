package dev.framebench.error;

import java.io.Serial;

/** A blocking call reached its deadline: the peer stalled, or never came. */
public final class TransportTimeoutException extends TransportException {
    @Serial
    private static final long serialVersionUID = 1L;

    public TransportTimeoutException(String message) {
        super(message);
    }
}
