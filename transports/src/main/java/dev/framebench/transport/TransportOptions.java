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
 *
 * <p>Besides the keys each transport lists in {@link Transport#options()}, every transport reads the
 * {@link #UNIVERSAL} keys, which no transport lists: {@value RunToken#KEY}, the run's token. They are known
 * to {@link #requireKnownBy} for any transport and kept by {@link #forTransport} for every one, and their
 * values are checked once, when the options are made, so a bad token fails before anything opens.
 */
public final class TransportOptions {
    /** Keys every transport reads, with their help line; a transport's {@link Transport#options()} leaves them out. */
    public static final Map<String, String> UNIVERSAL = Map.of(RunToken.KEY,
            "the run's token, " + RunToken.HEX_DIGITS + " lowercase hex digits, the same to sender and receiver: a sender presents it"
                    + " before its first frame, a receiver takes only a sender that does (default: none, the first sender is taken)");
    public static final TransportOptions NONE = new TransportOptions(Map.of());

    private final Map<String, String> values;
    /** Parsed once, here: null without the option. */
    private final RunToken token;

    private TransportOptions(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        String hex = values.get(RunToken.KEY);
        this.token = hex == null ? null : RunToken.parse(hex);
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
            String key = pair.substring(0, eq).trim();
            if (values.containsKey(key)) {
                // Both would be recorded and only the last would count: a run must not say two things about itself.
                throw new BadInputException("transport option '" + key + "' given twice (" + key + "=" + values.get(key) + ", " + key + "="
                        + pair.substring(eq + 1).trim() + "); give each key once");
            }
            values.put(key, pair.substring(eq + 1).trim());
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

    /** The run's token ({@value RunToken#KEY}), or null when none was given: then the first sender is taken. */
    public RunToken token() {
        return token;
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
     * of the same run reads is fine: one option line serves a run over several transports. The
     * {@link #UNIVERSAL} keys are known to every transport; the message lists only the transports' own
     * keys, as {@link Transport#options()} does.
     */
    public void requireKnownBy(Collection<Transport> transports) {
        TreeSet<String> known = new TreeSet<>();
        for (Transport t : transports) {
            known.addAll(t.options().keySet());
        }
        for (String key : values.keySet()) {
            if (!known.contains(key) && !UNIVERSAL.containsKey(key)) {
                String names = String.join(",", transports.stream().map(Transport::name).toList());
                throw new BadInputException("unknown transport option '" + key + "' for " + names + "; valid options: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
    }

    /**
     * Checks, for every one of {@code transports}, the values of the keys it reads ({@link Transport#validate}):
     * what a run does before its first benchmark, after {@link #requireKnownBy}.
     */
    public void requireValidFor(Collection<Transport> transports, int maxFrameBytes) {
        for (Transport t : transports) {
            t.validate(forTransport(t), maxFrameBytes);
        }
    }

    /**
     * Only the keys {@code transport} reads, the {@link #UNIVERSAL} ones included: one option line may serve
     * a run over several transports.
     */
    public TransportOptions forTransport(Transport transport) {
        Map<String, String> subset = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (UNIVERSAL.containsKey(k) || transport.options().containsKey(k)) {
                subset.put(k, v);
            }
        });
        return new TransportOptions(subset);
    }

    /**
     * {@code key=value;key=value}, the form {@link #parse} reads. It includes a {@value RunToken#KEY}: this
     * is how one end hands its options to the other, so keep the line off command lines and result files.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(text.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return text.toString();
    }
}
