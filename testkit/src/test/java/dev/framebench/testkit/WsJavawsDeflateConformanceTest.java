package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** ws-javaws with permessage-deflate negotiated on both ends, as browsers and popular clients do by default. */
class WsJavawsDeflateConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("ws-javaws");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("ws.deflate=true");
    }
}
