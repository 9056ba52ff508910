package dev.framebench.transport.shm.agrona;

import dev.framebench.transport.shm.ShmFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What this JVM has in /dev/shm: after a transport is closed, that must be nothing. */
public final class ShmLeftovers {
    private ShmLeftovers() {
    }

    public static List<Path> ofThisProcess() throws IOException {
        String owner = "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> entries = Files.list(ShmFiles.DEFAULT_DIR)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(ShmFiles.PREFIX) && p.getFileName().toString().contains(owner))
                    .toList();
        }
    }
}
