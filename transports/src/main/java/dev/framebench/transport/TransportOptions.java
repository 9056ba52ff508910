package dev.framebench.transport;

import dev.framebench.error.BadInputException;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Transport options as {@code key=value} pairs, namespaced by transport family ({@code tcp.io},
 * {@code ws.fragment}). Written on one line separated by {@code ;} because JMH splits {@code -p} values
 * on commas: {@code -p options='tcp.io=blocking;listen=127.0.0.1:7000'}.
 */
public final class TransportOptions {
    public static final TransportOptions NONE = new TransportOptions(Map.of());

    private final Map<String, String> values;

    private TransportOptions(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static TransportOptions of(Map<String, String> values) {
        return new TransportOptions(new LinkedHashMap<>(values));
    }

    /** Parses {@code key=value;key=value}; blank is no options. */
    public static TransportOptions parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return NONE;
        }
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("bad transport option '" + pair.trim() + "'; write key=value, several separated by ';'");
            }
            values.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return new TransportOptions(values);
    }

    public TransportOptions with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new TransportOptions(copy);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public int getInt(String key, int defaultValue, int min, int max) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.replace("_", ""));
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadInputException("bad value for option " + key + ": " + key + "=" + text
                    + "; allowed: a whole number from " + min + " to " + max);
        }
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadInputException("bad value for option " + key + ": " + key + "=" + text + "; allowed: true, false");
        };
    }

    public String getChoice(String key, String defaultValue, Collection<String> allowed) {
        String value = values.getOrDefault(key, defaultValue);
        if (!allowed.contains(value)) {
            throw new BadInputException("bad value for option " + key + ": " + key + "=" + value + "; allowed: " + String.join(", ", allowed));
        }
        return value;
    }

    /**
     * Fails on any key none of {@code transports} reads, naming the valid keys. A key another transport
     * of the same run reads is fine: one option line serves a run over several transports.
     */
    public void requireKnownBy(Collection<Transport> transports) {
        TreeSet<String> known = new TreeSet<>();
        for (Transport t : transports) {
            known.addAll(t.options().keySet());
        }
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                String names = String.join(",", transports.stream().map(Transport::name).toList());
                throw new BadInputException("unknown transport option '" + key + "' for " + names + "; valid options: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
    }

    /** Only the keys {@code transport} reads: one option line may serve a run over several transports. */
    public TransportOptions forTransport(Transport transport) {
        Map<String, String> subset = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (transport.options().containsKey(k)) {
                subset.put(k, v);
            }
        });
        return new TransportOptions(subset);
    }

    /** {@code key=value;key=value}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(text.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return text.toString();
    }
}
