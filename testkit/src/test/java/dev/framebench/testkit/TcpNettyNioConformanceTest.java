package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** tcp-netty on Netty's NIO transport, the fallback wherever native epoll does not load. */
class TcpNettyNioConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("tcp-netty");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("netty.transport=nio");
    }
}
