package dev.framebench.transport.uds;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.IoMode;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code uds-junix}: junixsocket's {@code AFUNIXSocketChannel}, which reads and writes through its own JNI
 * library rather than the JDK's, on a Unix-domain socket file; see {@link UdsTransport} for the socket file
 * and the framing.
 *
 * <p>junixsocket is reached only through the JDK's {@link SelectorProvider} API, its provider looked up by
 * name: its class files carry a compile-time annotation ({@code com.kohlschutter...SuppressFBWarnings})
 * that is not on the class path, and javac's {@code -Xlint:all -Werror} rejects any class that names
 * them. It also means junixsocket is loaded only when a uds-junix end is opened, so a machine where its
 * native library cannot load still runs every other transport.
 *
 * <p>Blocking I/O only: junixsocket 2.10.1's non-blocking read returns 0, not -1, once the peer has closed,
 * and its selector cancels the key on hang-up, so a selector loop cannot tell a clean end of stream from
 * "no data yet" (2.11.0 returns -1).
 */
public final class UdsJunixTransport extends UdsTransport {
    private static final String AF_SOCKET = "org.newsclub.net.unix.AFSocket";
    private static final String AF_UNIX_SELECTOR_PROVIDER = "org.newsclub.net.unix.AFUNIXSelectorProvider";

    @Override
    public String name() {
        return "uds-junix";
    }

    @Override
    public String description() {
        return "junixsocket (JNI) AFUNIXSocketChannel on a Unix-domain socket file, blocking; copies user->kernel->user, no IP stack";
    }

    @Override
    IoMode ioMode(TransportOptions options) {
        return IoMode.BLOCKING;
    }

    @Override
    ServerSocketChannel openServerChannel() throws IOException {
        ServerSocketChannel server = junixsocket().openServerSocketChannel();
        // junixsocket would otherwise bind over whatever file is at the path, even a regular file.
        server.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        return server;
    }

    @Override
    SocketChannel openChannel() throws IOException {
        return junixsocket().openSocketChannel();
    }

    /**
     * junixsocket's {@code AFUNIXSocketChannel.getPeerCredentials().getUid()}, reached by reflection as
     * every junixsocket class here is, against the numeric owner of the socket file.
     */
    @Override
    String otherUser(SocketChannel connection, Path socketFile) throws IOException {
        long peerUid;
        try {
            Object credentials = connection.getClass().getMethod("getPeerCredentials").invoke(connection);
            peerUid = (long) credentials.getClass().getMethod("getUid").invoke(credentials);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("cannot read the peer's credentials: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot read the peer's credentials through junixsocket: " + e, e);
        }
        int ownerUid = (int) Files.getAttribute(socketFile, "unix:uid");
        return peerUid == ownerUid ? null : "peer uid=" + peerUid + " is not the socket file's owner uid=" + ownerUid;
    }

    /** junixsocket's AF_UNIX provider, once its native library has loaded. */
    private SelectorProvider junixsocket() {
        try {
            Class.forName(AF_SOCKET).getMethod("ensureSupported").invoke(null);
            return (SelectorProvider) Class.forName(AF_UNIX_SELECTOR_PROVIDER).getMethod("provider").invoke(null);
        } catch (InvocationTargetException e) {
            throw unavailable(e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw unavailable(e);
        }
    }

    private BadInputException unavailable(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new BadInputException(name() + " cannot run on this machine: junixsocket's native library did not load ("
                + root.getMessage() + "); use uds-jdk, the JDK's own Unix-domain sockets");
    }
}
