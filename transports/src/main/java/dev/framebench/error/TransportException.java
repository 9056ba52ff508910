package dev.framebench.error;

import java.io.Serial;

/** Moving frames failed at run time: a peer closed, a socket broke, a frame was corrupt. */
public class TransportException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
