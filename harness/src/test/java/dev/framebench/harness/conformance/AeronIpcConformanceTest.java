package dev.framebench.harness.conformance;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;

class AeronIpcConformanceTest extends AbstractTransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("aeron-ipc");
    }
}
