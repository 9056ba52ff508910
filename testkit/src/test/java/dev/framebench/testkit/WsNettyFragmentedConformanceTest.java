package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** ws-netty with each message split into frames of 131,072 payload bytes, as Chromium sends them. */
class WsNettyFragmentedConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("ws-netty");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("ws.fragment=131072");
    }
}
