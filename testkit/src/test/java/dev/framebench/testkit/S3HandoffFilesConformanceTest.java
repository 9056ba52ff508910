package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

/** s3-handoff with S3Proxy keeping its objects as files (jclouds' filesystem store) in its private folder. */
class S3HandoffFilesConformanceTest extends TransportConformanceTest {
    @Override
    protected Transport transport() {
        return TransportRegistry.byName("s3-handoff");
    }

    @Override
    protected TransportOptions options() {
        return TransportOptions.parse("s3.storage=files");
    }
}
