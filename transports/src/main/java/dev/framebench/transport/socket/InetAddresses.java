package dev.framebench.transport.socket;

import dev.framebench.error.BadInputException;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** HOST:PORT for the IP transports: literal addresses only, so no name lookup ever leaves the machine. */
public final class InetAddresses {
    /** The option every IP receiver listens by. */
    static final String LISTEN_KEY = "listen";

    private InetAddresses() {
    }

    /** Parses {@code HOST:PORT} ({@code [v6]:PORT} for IPv6); {@code key} names the option in errors. */
    public static InetSocketAddress parse(String key, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new BadInputException("bad address for " + key + ": '" + text + "'; write HOST:PORT, e.g. 127.0.0.1:7000");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new BadInputException("bad port for " + key + ": '" + text + "'; the port is a number from 0 to 65535");
        }
        InetSocketAddress address;
        try {
            // Literal addresses only: resolving a name could send a DNS query off this machine.
            address = new InetSocketAddress(InetAddress.ofLiteral(host), port);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("bad host for " + key + ": '" + host + "'; give a literal IP address such as 127.0.0.1");
        }
        String warning = listenWarning(key, address);
        if (warning != null) {
            System.err.println(warning);
        }
        return address;
    }

    /**
     * The warning a receiver prints when told to listen beyond loopback (the default is 127.0.0.1: other
     * hosts cannot reach it), or null. Such a listener is asked for, not refused: a sender on another host
     * is a real use; the warning says that anyone who can reach the port can try to send.
     */
    public static String listenWarning(String key, InetSocketAddress address) {
        if (!key.equals(LISTEN_KEY) || address.getAddress().isLoopbackAddress()) {
            return null;
        }
        return "framebench: warning: " + key + "=" + format(address) + " is not a loopback address: hosts that can reach it may connect"
                + " (the receiver serves its first sender and refuses others); use 127.0.0.1 unless a remote sender is intended";
    }

    /** The inverse of {@link #parse}: {@code 127.0.0.1:7000}, {@code [::1]:7000}. */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
