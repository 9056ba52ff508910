package dev.framebench.transport.uds;

import dev.framebench.transport.TransportOptions;
import dev.framebench.transport.socket.IoMode;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code uds-jdk}: the JDK's own Unix-domain {@link SocketChannel} ({@link StandardProtocolFamily#UNIX},
 * JDK 16+), in either I/O mode, like tcp; see {@link UdsTransport} for the socket file and the framing.
 */
public final class UdsJdkTransport extends UdsTransport {
    static final String IO = "uds.io";
    /** The same default as tcp.io, so that tcp and uds-jdk are compared like for like. */
    static final IoMode DEFAULT_IO = IoMode.BLOCKING;

    @Override
    public String name() {
        return "uds-jdk";
    }

    @Override
    public String description() {
        return "JDK NIO SocketChannel on a Unix-domain socket file; copies user->kernel->user, no IP stack";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>(super.options());
        options.put(IO, "blocking | selector: how sockets wait (default " + DEFAULT_IO.modeName() + ")");
        return options;
    }

    @Override
    IoMode ioMode(TransportOptions options) {
        return IoMode.byName(options.getChoice(IO, DEFAULT_IO.modeName(), IoMode.NAMES));
    }

    @Override
    ServerSocketChannel openServerChannel() throws IOException {
        return ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    }

    @Override
    SocketChannel openChannel() throws IOException {
        return SocketChannel.open(StandardProtocolFamily.UNIX);
    }

    /** The JDK hands {@code SO_PEERCRED} out as principals, which compare by uid. */
    @Override
    String otherUser(SocketChannel connection, Path socketFile) throws IOException {
        UnixDomainPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED);
        UserPrincipal owner = Files.getOwner(socketFile);
        return peer.user().equals(owner) ? null
                : "peer user=" + peer.user().getName() + " is not the socket file's owner user=" + owner.getName();
    }
}
