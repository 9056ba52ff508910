package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** shm-agrona with both sides asleep on futexes while they wait, so the doorbells stay correct. */
class ShmAgronaFutexConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("shm-agrona");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("idle=futex");
    }
}
