package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;

class TcpConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("tcp");
    }
}
