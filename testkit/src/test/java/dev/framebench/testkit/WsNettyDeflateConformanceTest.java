package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** ws-netty with permessage-deflate negotiated, as browsers do by default. */
class WsNettyDeflateConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("ws-netty");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("ws.deflate=true");
    }
}
