package dev.framebench.harness.browser;

import java.util.List;

/**
 * The kind of one process of a Chromium tree, from its argv: what a reader of a run needs to see where a
 * browser's CPU goes (the page's renderer, the network service that masks and writes the WebSocket, ...).
 */
public final class ChromiumProcessKinds {
    static final String NETWORK_SERVICE = "network.mojom.NetworkService";

    private ChromiumProcessKinds() {
    }

    /**
     * No {@code --type}: the browser process; {@code renderer}, {@code gpu-process} (gpu), {@code zygote};
     * a utility process is "network" when it is the network service, else "utility"; any other type by its name.
     */
    public static String kindOf(List<String> argv) {
        if (argv.isEmpty()) {
            // Gone between the walk of the tree and the read of its command line.
            return "exited";
        }
        String type = flag(argv, "--type=");
        if (type == null) {
            return "browser";
        }
        return switch (type) {
            case "renderer" -> "renderer";
            case "gpu-process" -> "gpu";
            case "zygote" -> "zygote";
            case "utility" -> NETWORK_SERVICE.equals(flag(argv, "--utility-sub-type=")) ? "network" : "utility";
            default -> type;
        };
    }

    private static String flag(List<String> argv, String prefix) {
        for (String arg : argv) {
            // Chromium's children rewrite their command line as one string (setproctitle): /proc shows one argument.
            for (String word : arg.split(" ")) {
                if (word.startsWith(prefix)) {
                    return word.substring(prefix.length());
                }
            }
        }
        return null;
    }
}
