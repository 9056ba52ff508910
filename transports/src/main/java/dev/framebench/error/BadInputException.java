package dev.framebench.error;

import java.io.Serial;

/**
 * The user asked for something that cannot be done: an unknown name, a bad value, a limit exceeded.
 * The message is one line saying what is wrong, with the values, and how to fix it; the command line
 * prints only that line and exits with status 2.
 */
public class BadInputException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
