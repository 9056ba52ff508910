package dev.framebench.harness.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON writer and reader of the harness (Jackson): every record framebench writes (STATS lines,
 * {@code receive}'s result line, flame-graph summaries, summary.json) goes through {@link #MAPPER}, so
 * escaping and number formats are decided once.
 */
public final class Json {
    /** Thread-safe once configured; shared so its serializer caches are built once. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code value} as one line of JSON. */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code value} as indented JSON, for files a person may read. */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }
}
