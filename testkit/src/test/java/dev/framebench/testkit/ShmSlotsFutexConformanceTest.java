package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** shm-slots with both sides sleeping in the kernel: the futex wake-up protocol, both directions. */
class ShmSlotsFutexConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("shm-slots");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("idle=futex");
    }
}
