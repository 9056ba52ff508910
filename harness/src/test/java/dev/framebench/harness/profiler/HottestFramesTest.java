package dev.framebench.harness.profiler;

import dev.framebench.error.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collapsed stacks, hot frames and the choice of event, on profiles written out by hand. */
class HottestFramesTest {
    static final List<String> PROFILE = List.of(
            "main;SendLoop.run;SocketChannelImpl.write;__GI_write;_copy_from_iter_[k] 60",
            "main;SendLoop.run;FramePool.stamp 25",
            "main;SendLoop.run;SocketChannelImpl.write;__GI_write 5",
            "GC Thread;G1 work(unsigned int, bool) 10",
            "not a profile line",
            "");

    @Test
    void ranksFramesBySelfSamplesWithTheirShare() {
        CollapsedStacks stacks = CollapsedStacks.parse(PROFILE);
        assertEquals(100, stacks.total());
        HottestFrames hot = HottestFrames.of(stacks, 3);
        assertEquals(List.of(new HottestFrames.Frame("_copy_from_iter_[k]", 60, 0.60), new HottestFrames.Frame("FramePool.stamp", 25, 0.25),
                new HottestFrames.Frame("G1 work(unsigned int, bool)", 10, 0.10)), hot.top());
        assertEquals("{\"frame\":\"_copy_from_iter_[k]\",\"samples\":60,\"share\":0.6}", hot.toJson().get(0).toString(), hot.toJson().toString());
        assertEquals(3, hot.toJson().size());
    }

    @Test
    void kernelFramesAreSeenOnlyWhenAStackHasOne() {
        assertTrue(CollapsedStacks.parse(PROFILE).hasKernelFrames());
        assertFalse(CollapsedStacks.parse(PROFILE.subList(1, 4)).hasKernelFrames());
    }

    @Test
    void cpuFallsBackToItimerWithoutPerfEventsAndOtherEventsPassThrough() {
        assertEquals("cpu", FlameEvent.resolve("cpu", true, false).used());
        assertEquals("itimer", FlameEvent.resolve("cpu", false, false).used());
        assertEquals("itimer", FlameEvent.resolve("cpu", true, true).used());
        for (String event : List.of("alloc", "wall", "lock", "itimer")) {
            assertEquals(event, FlameEvent.resolve(event, false, false).used());
        }
        BadInputException e = assertThrows(BadInputException.class, () -> FlameEvent.resolve("cycles", true, false));
        assertEquals("bad value flamesEvent=cycles; allowed: cpu, itimer, ctimer, wall, alloc, lock", e.getMessage());
    }
}
