package dev.framebench.harness.peer;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.framebench.error.TransportException;
import dev.framebench.harness.util.Json;

/**
 * What a sender reports when its streams end cleanly: the payload of the {@code STATS} line of
 * {@link ControlProtocol}, one JSON object (see docs/WIRE.md, "Control protocol").
 *
 * @param frames       frames sent, over every stream of the sender
 * @param bytes        bytes of those frames, headers included
 * @param framesBehind paced streams only: frames whose send completed more than one interval after they were due; 0 in saturation
 * @param cpuNanos     user+system CPU of the sender process at the end, -1 where it is a thread of the receiver's JVM
 * @param peakRssBytes VmHWM of the sender process, 0 where it is a thread of the receiver's JVM
 */
public record SenderStats(long frames, long bytes, long framesBehind, long cpuNanos, long peakRssBytes) {
    public String toJson() {
        return Json.line(this);
    }

    public static SenderStats parse(String json) {
        try {
            return Json.MAPPER.readValue(json, SenderStats.class);
        } catch (JsonProcessingException e) {
            throw new TransportException("bad STATS from a sender: " + json + " (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** The sum of several senders' stats (a process per stream). */
    public SenderStats plus(SenderStats other) {
        return new SenderStats(frames + other.frames, bytes + other.bytes, framesBehind + other.framesBehind,
                cpuNanos < 0 || other.cpuNanos < 0 ? -1 : cpuNanos + other.cpuNanos, peakRssBytes + other.peakRssBytes);
    }
}
