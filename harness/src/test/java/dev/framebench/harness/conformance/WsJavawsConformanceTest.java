package dev.framebench.harness.conformance;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;

class WsJavawsConformanceTest extends AbstractTransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("ws-javaws");
    }
}
