package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** ws-netty without client masking (non-RFC, both ends agree). */
class WsNettyUnmaskedConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("ws-netty");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("ws.mask=false");
    }
}
