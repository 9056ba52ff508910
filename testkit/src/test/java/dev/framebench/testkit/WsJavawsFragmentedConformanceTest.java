package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** ws-javaws with each message split into continuation frames of 128 KiB, as Chromium sends them. */
class WsJavawsFragmentedConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("ws-javaws");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("ws.fragment=131072");
    }
}
