package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** shm-agrona-mpsc with one sender is an ordinary transport; its doorbells here are futexes, counted per waiter. */
class ShmAgronaMpscConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("shm-agrona-mpsc");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("idle=futex");
    }
}
