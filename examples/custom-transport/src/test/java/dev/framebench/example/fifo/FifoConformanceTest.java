package dev.framebench.example.fifo;

import dev.framebench.testkit.TransportConformanceTest;
import dev.framebench.transport.Transport;

/** What every framebench transport must do, run for fifo: the kit supplies the tests, this the factory. */
class FifoConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return new FifoTransport();
    }
}
