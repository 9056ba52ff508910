package dev.framebench.testkit;

import dev.framebench.transport.Transport;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.TransportRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** file-handoff through a folder on disk (under target/, not tmpfs): the same contract on a real file system. */
class FileHandoffOnDiskConformanceTest extends TransportConformanceTest {
    private static final Path DISK_DIR = Path.of("target", "file-handoff-on-disk").toAbsolutePath();

    @Override
    protected Transport transport() {
        return TransportRegistry.byName("file-handoff");
    }

    @Override
    protected TransportOptions options() {
        try {
            Files.createDirectories(DISK_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TransportOptions.parse("file.dir=" + DISK_DIR);
    }
}
