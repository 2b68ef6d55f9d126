package io.cronexecutor.api;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a manual trigger may hand the command: {@code data} on its standard input and
 * {@code attributes} as {@code CRON_ATTR_<NAME>} variables, never on its command line. Parsed
 * strictly, so a misspelt field is an error rather than silently dropped.
 *
 * @param data       the message data, possibly empty
 * @param attributes the message attributes, in the order given
 */
public record ManualTick(byte[] data, Map<String, String> attributes) {

    /** The most a request body may hold; Pub/Sub would take 10 MB, but a tick is a signal, not a payload store. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Pub/Sub's own limits on attributes. */
    static final int MAX_ATTRIBUTES = 100;
    static final int MAX_NAME_BYTES = 256;
    static final int MAX_VALUE_BYTES = 1024;
    private static final Set<String> FIELDS = Set.of("data", "attributes");
    public static final String EXAMPLE = "{\"data\": \"text for stdin\", \"attributes\": {\"mode\": \"full\"}}";

    public ManualTick {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static ManualTick none() {
        return new ManualTick(new byte[0], Map.of());
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, for a 400 answer
     */
    public static ManualTick parse(String body) {
        if (body == null || body.isBlank()) {
            return none();
        }
        JsonObject object;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new IllegalArgumentException("request body: expected a JSON object such as " + EXAMPLE + ", got "
                        + kind(value));
            }
            object = value.asJsonObject();
        } catch (JsonParsingException e) {
            throw new IllegalArgumentException("request body: not valid JSON at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber() + ": " + e.getMessage(), e);
        } catch (JsonException e) {
            throw new IllegalArgumentException("request body: not valid JSON: " + e.getMessage(), e);
        }
        for (String field : object.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("request body: unknown field '" + field + "'; expected only data and attributes, as in "
                        + EXAMPLE);
            }
        }
        byte[] data = new byte[0];
        JsonValue rawData = object.get("data");
        if (rawData != null && rawData.getValueType() != JsonValue.ValueType.NULL) {
            if (!(rawData instanceof JsonString text)) {
                throw new IllegalArgumentException("data: expected a string, got " + kind(rawData));
            }
            data = text.getString().getBytes(StandardCharsets.UTF_8);
        }
        return new ManualTick(data, attributes(object.get("attributes")));
    }

    private static Map<String, String> attributes(JsonValue raw) {
        if (raw == null || raw.getValueType() == JsonValue.ValueType.NULL) {
            return Map.of();
        }
        if (raw.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException("attributes: expected an object of names to strings, got " + kind(raw));
        }
        JsonObject given = raw.asJsonObject();
        if (given.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("attributes: at most " + MAX_ATTRIBUTES + " (Pub/Sub's limit), got " + given.size());
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, String> byVariable = new HashMap<>();
        for (Map.Entry<String, JsonValue> entry : given.entrySet()) {
            String name = entry.getKey();
            String where = "attributes." + name;
            if (name.isEmpty()) {
                throw new IllegalArgumentException("attributes: a name must not be empty");
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException(where + ": a name may have at most " + MAX_NAME_BYTES + " bytes");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("cron-") || lower.startsWith("goog")) {
                throw new IllegalArgumentException(where + ": names starting with 'cron-' are this service's own and "
                        + "'goog' Pub/Sub's; choose another name");
            }
            if (!(entry.getValue() instanceof JsonString value)) {
                throw new IllegalArgumentException(where + ": expected a string, got " + kind(entry.getValue()));
            }
            if (value.getString().getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException(where + ": a value may have at most " + MAX_VALUE_BYTES + " bytes (Pub/Sub's limit)");
            }
            String variable = io.cronexecutor.run.TickEnvironment.variableName(name);
            String clash = byVariable.put(variable, name);
            if (clash != null) {
                throw new IllegalArgumentException("attributes: '" + clash + "' and '" + name + "' would both reach the command as "
                        + variable + "; rename one");
            }
            attributes.put(name, value.getString());
        }
        return attributes;
    }

    private static String kind(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
        };
    }
}
