package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportRegistry;

/** s3-handoff through its default store: a real S3Proxy in a JVM of its own, on loopback, its objects in memory. */
class S3HandoffConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("s3-handoff");
    }
}
