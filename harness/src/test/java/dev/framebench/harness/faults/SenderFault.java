package dev.framebench.harness.faults;

import dev.framebench.frame.FrameHeader;
import dev.framebench.error.BadInputException;
import dev.framebench.transport.FrameSender;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * TEST ONLY: one corruption a sender injects into one frame of its stream, so the fault suite can prove
 * that verify mode catches it on every transport. Given as {@code KIND@SEQUENCE}, e.g.
 * {@code flip-payload-bit@3}, as the system property {@value #PROPERTY} of a JVM that sends (a sender
 * peer JVM, or {@code framebench send} run in the test JVM). It reaches senders through the harness's
 * {@link dev.framebench.harness.peer.SenderHook} seam ({@link FaultInjection}); a published run refuses
 * to start while it is set, so a corrupted stream can never produce a number.
 *
 * @param kind     what goes wrong
 * @param sequence the sequence number of the frame that carries the fault (&gt;= 1)
 */
public record SenderFault(Kind kind, long sequence) {
    /** System property a sender peer reads its fault from; test-only. */
    public static final String PROPERTY = "framebench.test.fault";

    /** Each kind, and the header field a verifying receiver names when it catches it. */
    public enum Kind {
        /** One payload bit flipped after the CRC was computed. */
        FLIP_PAYLOAD_BIT("payloadCrc32c"),
        /**
         * The frame ends {@link #TRUNCATED_BYTES} early; its header still claims the full payload. Message
         * transports see a short message (frameBytes, payloadLength); byte streams read the missing bytes
         * from the next frame, so the payload's CRC fails.
         */
        TRUNCATED_FRAME("frameBytes, payloadLength or payloadCrc32c"),
        /** The frame repeats the previous frame's sequence. */
        DUPLICATE_SEQUENCE("sequence"),
        /** The frame carries the next sequence: one is missing. */
        SKIPPED_SEQUENCE("sequence"),
        /** The header's magic is not FBF1. */
        BAD_MAGIC("magic"),
        /** The header's version is not 1. */
        BAD_VERSION("version"),
        /** The header's payloadLength is not the frame's. */
        BAD_LENGTH("payloadLength");

        private final String detectedAs;

        Kind(String detectedAs) {
            this.detectedAs = detectedAs;
        }

        /** The option spelling: {@code flip-payload-bit}. */
        public String optionName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The field a verifier reports for this fault. */
        public String detectedAs() {
            return detectedAs;
        }
    }

    /** Bytes cut from a truncated frame: a page, so stream transports lose whole header-sized pieces. */
    public static final int TRUNCATED_BYTES = 4096;
    /** Bogus magic, ASCII "XXXX". */
    public static final int BAD_MAGIC_VALUE = 0x58585858;
    public static final int BAD_VERSION_VALUE = FrameHeader.VERSION + 1;
    public static final int BAD_LENGTH_DELTA = 8;

    public SenderFault {
        if (sequence < 1) {
            throw new BadInputException("test fault sequence must be >= 1: sequence=" + sequence);
        }
    }

    /** Parses {@code KIND@SEQUENCE}; one-line error listing the kinds otherwise. */
    public static SenderFault parse(String text) {
        int at = text.indexOf('@');
        String kindName = at < 0 ? text : text.substring(0, at);
        long sequence;
        try {
            sequence = at < 0 ? 1 : Long.parseLong(text.substring(at + 1));
        } catch (NumberFormatException e) {
            throw new BadInputException("bad test fault '" + text + "'; write KIND@SEQUENCE, e.g. flip-payload-bit@3");
        }
        for (Kind kind : Kind.values()) {
            if (kind.optionName().equals(kindName)) {
                return new SenderFault(kind, sequence);
            }
        }
        throw new BadInputException("unknown test fault '" + kindName + "'; valid: " + validKinds() + " (KIND@SEQUENCE)");
    }

    public static String validKinds() {
        return Arrays.stream(Kind.values()).map(Kind::optionName).collect(Collectors.joining(", "));
    }

    /** The fault of {@value #PROPERTY}, or null when unset (every real run). */
    public static SenderFault fromSystemProperty() {
        String text = System.getProperty(PROPERTY, "").trim();
        return text.isEmpty() ? null : parse(text);
    }

    /** {@code sender} itself when {@code fault} is null, else a sender that injects it. */
    public static FrameSender wrap(FrameSender sender, SenderFault fault) {
        return fault == null ? sender : new FaultInjectingSender(sender, fault);
    }

    @Override
    public String toString() {
        return kind.optionName() + "@" + sequence;
    }
}
