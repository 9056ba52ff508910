package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** tcp with the non-default I/O mode, so both modes stay correct whichever is faster. */
class TcpSelectorConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("tcp");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("tcp.io=selector");
    }
}
