package dev.framebench.harness.util;

import dev.framebench.error.BadInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} arguments of one command, checked against what it accepts:
 * an unknown or incomplete one is a one-line {@link BadInputException} that says what is allowed.
 */
public final class Args {
    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param withValue flags that take a value
     * @param switches  flags that stand alone
     */
    public static Args parse(String command, String[] args, Set<String> withValue, Set<String> switches) {
        Args parsed = new Args(command);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (switches.contains(name) && value == null) {
                parsed.values.put(name, "true");
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new BadInputException(command + ": " + name + " needs a value; see " + command + " --help");
                    }
                    value = args[++i];
                }
                parsed.values.put(name, value);
            } else {
                List<String> all = new java.util.ArrayList<>(withValue);
                all.addAll(switches);
                java.util.Collections.sort(all);
                throw new BadInputException(command + ": unknown argument '" + arg + "'; valid: " + String.join(" ", all)
                        + " (see " + command + " --help)");
            }
        }
        return parsed;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public String require(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new BadInputException(command + ": " + name + " is required; see " + command + " --help");
        }
        return value;
    }

    public long getLong(String name, long defaultValue, long min, long max) {
        String text = values.get(name);
        if (text == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the one-line error below.
        }
        throw new BadInputException(command + ": bad value for " + name + ": '" + text + "'; allowed: a whole number from " + min + " to " + max);
    }
}
