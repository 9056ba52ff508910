package dev.framebench.transport.aeron;

import io.aeron.AeronCounters;
import io.aeron.Image;
import org.agrona.concurrent.status.CountersReader;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the receiver learns which process publishes its image, so that it can notice one that died: the
 * sender puts its pid in the channel's {@code alias}, and the driver copies the channel into the label of
 * the publication's {@code pub-lmt} counter, whose registration id is the image's correlation id.
 */
final class SenderPid {
    private static final String ALIAS_PREFIX = "framebench-sender-pid-";
    private static final Pattern IN_LABEL = Pattern.compile("alias=" + ALIAS_PREFIX + "(\\d+)");

    private SenderPid() {
    }

    static String alias(long pid) {
        return ALIAS_PREFIX + pid;
    }

    /** The pid of the process that publishes {@code image}, or 0 when it did not say (a non-framebench sender). */
    static long of(CountersReader counters, Image image) {
        int counterId = counters.findByTypeIdAndRegistrationId(AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID, image.correlationId());
        if (counterId == CountersReader.NULL_COUNTER_ID) {
            return 0;
        }
        Matcher matcher = IN_LABEL.matcher(counters.getCounterLabel(counterId));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
