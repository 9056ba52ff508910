package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;

class ShmSlotsConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("shm-slots");
    }
}
