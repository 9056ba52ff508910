package dev.framebench.transport.netty;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.TransportOptions;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.List;

/**
 * Which of Netty's socket transports moves the bytes: the native epoll one, where its JNI library loads
 * (Linux on x86_64 or aarch64), or the JDK's NIO selector. Results record which one ran, because the two
 * differ in system calls per frame and in where the CPU is charged.
 */
enum NettyIo {
    EPOLL,
    NIO;

    static final String OPTION = "netty.transport";
    static final String HELP = "auto | epoll | nio: Netty's socket transport; auto takes native epoll where it loads, else nio (default auto)";
    private static final String AUTO = "auto";
    private static final List<String> CHOICES = List.of(AUTO, "epoll", "nio");

    /** Reads {@link #OPTION}; asking for epoll where it cannot load is an error, not a silent fallback. */
    static NettyIo from(TransportOptions options) {
        String choice = options.getChoice(OPTION, AUTO, CHOICES);
        return switch (choice) {
            case "nio" -> NIO;
            case "epoll" -> {
                if (NativeEpoll.UNAVAILABILITY_CAUSE != null) {
                    throw new BadInputException("bad value for option " + OPTION + ": " + OPTION + "=epoll; native epoll does not load here ("
                            + NativeEpoll.UNAVAILABILITY_CAUSE + "); allowed here: auto, nio");
                }
                yield EPOLL;
            }
            default -> NativeEpoll.UNAVAILABILITY_CAUSE == null ? EPOLL : NIO;
        };
    }

    /** As {@code describe()} reports it and the option spells it. */
    String ioName() {
        return this == EPOLL ? "epoll" : "nio";
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return this == EPOLL ? NativeEpoll.type("EpollServerSocketChannel", ServerChannel.class) : NioServerSocketChannel.class;
    }

    Class<? extends Channel> socketChannelClass() {
        return this == EPOLL ? NativeEpoll.type("EpollSocketChannel", Channel.class) : NioSocketChannel.class;
    }

    /**
     * One event loop thread, a daemon so that a failure to stop it can never keep a JVM alive; whoever
     * creates the group stops it with {@link NettyFutures#shutdown}.
     */
    EventLoopGroup newEventLoopGroup(String threadName) {
        IoHandlerFactory handlers = this == EPOLL ? NativeEpoll.ioHandlerFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), handlers);
    }

    /**
     * Netty's epoll classes, reached by name: the netty-bom scopes the native epoll jars, and with them
     * netty-transport-classes-epoll, to the runtime class path only. A missing class reads as epoll being
     * unavailable, so {@code auto} still falls back to NIO.
     */
    private static final class NativeEpoll {
        private static final String PACKAGE = "io.netty.channel.epoll.";
        /** Null when epoll loads: what {@code Epoll.unavailabilityCause()} says. */
        static final Throwable UNAVAILABILITY_CAUSE = unavailabilityCause();

        private NativeEpoll() {
        }

        private static Throwable unavailabilityCause() {
            try {
                return (Throwable) Class.forName(PACKAGE + "Epoll").getMethod("unavailabilityCause").invoke(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                return e;
            }
        }

        static <T> Class<? extends T> type(String simpleName, Class<T> kind) {
            try {
                return Class.forName(PACKAGE + simpleName).asSubclass(kind);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("epoll loaded but " + PACKAGE + simpleName + " is missing", e);
            }
        }

        static IoHandlerFactory ioHandlerFactory() {
            try {
                return (IoHandlerFactory) Class.forName(PACKAGE + "EpollIoHandler").getMethod("newFactory").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("epoll loaded but " + PACKAGE + "EpollIoHandler.newFactory() failed", e);
            }
        }
    }
}
