package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** shm-slots with both sides busy-polling: the memory ordering alone, at the highest rate of races. */
class ShmSlotsSpinConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("shm-slots");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("idle=spin");
    }
}
