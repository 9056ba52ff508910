package dev.framebench.transport.file;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.socket.InetAddresses;

import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a file-handoff sender reaches its receiver: the receiver's loopback address for announcements and
 * its private frame folder, written {@code HOST:PORT} immediately followed by the folder's absolute path,
 * e.g. {@code 127.0.0.1:40123/dev/shm/framebench-file-4242-1} or
 * {@code [::1]:40123/mnt/disk/framebench-file-4242-1}. An address never contains {@code '/'} and the
 * path always starts with one, so the first {@code '/'} splits the two.
 */
record FileHandoffEndpoint(InetSocketAddress address, Path folder) {
    private static final String FORM = "write HOST:PORT/FOLDER, e.g. 127.0.0.1:40123/dev/shm/framebench-file-4242-1";

    static FileHandoffEndpoint parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new BadInputException("bad file-handoff endpoint '" + text + "'; " + FORM);
        }
        InetSocketAddress address = InetAddresses.parse("endpoint", text.substring(0, slash));
        try {
            return new FileHandoffEndpoint(address, Path.of(text.substring(slash)));
        } catch (InvalidPathException e) {
            throw new BadInputException("bad folder in file-handoff endpoint '" + text + "': " + e.getMessage() + "; " + FORM);
        }
    }

    @Override
    public String toString() {
        return InetAddresses.format(address) + folder.toAbsolutePath();
    }
}
