package dev.framebench.frame;

import dev.framebench.error.BadInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the receiver does with each frame before releasing it. */
public enum ConsumeMode {
    /** Reads the header only: the transport's own cost, nothing else. */
    NONE,
    /** Touches every payload byte, as a real consumer (an encoder, a model) would: published figures use it. */
    READ,
    /** Checks magic, version, lengths, CRC-32C and sequence continuity: tests and verification passes. */
    VERIFY;

    public String modeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A consumer for one receiving thread; verify keeps per-stream sequence state. */
    public FrameConsumer newConsumer() {
        return switch (this) {
            case NONE -> FrameConsumer::headerOnly;
            case READ -> FrameConsumer::readPayload;
            case VERIFY -> new FrameVerifier()::verify;
        };
    }

    public static ConsumeMode byName(String name) {
        for (ConsumeMode m : values()) {
            if (m.modeName().equals(name)) {
                return m;
            }
        }
        throw new BadInputException("unknown consume mode '" + name + "'; valid modes: "
                + Arrays.stream(values()).map(ConsumeMode::modeName).collect(Collectors.joining(", ")));
    }
}
