package dev.framebench.transport;

import dev.framebench.error.BadInputException;

import dev.framebench.transport.file.FileHandoffTransport;
import dev.framebench.transport.inproc.InprocCopyTransport;
import dev.framebench.transport.inproc.InprocHandoffTransport;
import dev.framebench.transport.netty.TcpNettyTransport;
import dev.framebench.transport.netty.WsNettyTransport;
import dev.framebench.transport.shm.ffm.ShmFfmTransport;
import dev.framebench.transport.aeron.AeronIpcTransport;
import dev.framebench.transport.inproc.InprocCopyTransport;
import dev.framebench.transport.inproc.InprocHandoffTransport;
import dev.framebench.transport.shm.agrona.ShmAgronaTransport;
import dev.framebench.transport.tcp.TcpTransport;
import dev.framebench.transport.uds.UdsJdkTransport;
import dev.framebench.transport.uds.UdsJunixTransport;
import dev.framebench.transport.websocket.javaws.JavawsTransport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every transport by name. Adding a transport means one package, one line here and one conformance test. */
public final class TransportRegistry {
    private static final Map<String, Transport> BY_NAME = new LinkedHashMap<>();

    static {
        register(new InprocHandoffTransport());
        register(new InprocCopyTransport());
        register(new TcpTransport());
        register(new TcpNettyTransport());
        register(new UdsJdkTransport());
        register(new UdsJunixTransport());
        register(new JavawsTransport());
        register(new WsNettyTransport());
        register(new ShmFfmTransport());
        register(new ShmAgronaTransport());
        register(new ShmAgronaTransport(true));
        register(new AeronIpcTransport());
        register(new FileHandoffTransport());
    }

    private TransportRegistry() {
    }

    private static void register(Transport transport) {
        BY_NAME.put(transport.name(), transport);
    }

    public static Transport byName(String name) {
        Transport transport = BY_NAME.get(name);
        if (transport == null) {
            throw new BadInputException("unknown transport '" + name + "'; valid transports: " + validNames());
        }
        return transport;
    }

    /** Parses a comma-separated list, keeping its order. */
    public static List<Transport> byNames(String commaSeparated) {
        List<Transport> list = new ArrayList<>();
        for (String name : commaSeparated.split(",")) {
            if (!name.isBlank()) {
                list.add(byName(name.trim()));
            }
        }
        if (list.isEmpty()) {
            throw new BadInputException("no transport given; valid transports: " + validNames());
        }
        return list;
    }

    public static List<Transport> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static String validNames() {
        return String.join(", ", BY_NAME.keySet());
    }
}
