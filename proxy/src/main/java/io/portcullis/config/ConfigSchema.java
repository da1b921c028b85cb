package io.portcullis.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of the config file, generated from the config records by the same rules
 * {@link RecordBinder} binds them with: a record is an object with its component names as the only keys,
 * {@code List<T>} an array, {@code Map<String, String>} an object of strings, a record with
 * {@code fromScalar(String)} also a string, and the leaves of {@link Scalars} their YAML forms (a string
 * key takes any scalar, integers and booleans must be plain, durations in Go syntax, byte sizes as
 * {@code 64Ki}). Absent keys and nulls are allowed everywhere, as for the binder; what the validator
 * checks beyond shape (ranges, references, CIDRs, regexes) is not in the schema.
 *
 * <p>Printed by {@code portcullis schema}; editors use it through {@code # yaml-language-server: $schema=...}.
 */
public final class ConfigSchema {
    /** Go duration syntax as {@link GoDuration#parse} reads it: number+unit groups, or a bare 0. */
    static final String DURATION = "^(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h))+)$";

    private final Map<Class<?>, Boolean> defined = new LinkedHashMap<>();
    private final Map<String, Class<?>> names = new LinkedHashMap<>();
    private final Deque<Class<?>> pending = new ArrayDeque<>();

    private ConfigSchema() {}

    /** The schema as pretty-printed JSON. */
    public static String generate() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            new ConfigSchema().write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out + "\n";
    }

    private void write(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("$schema", "https://json-schema.org/draft/2020-12/schema");
        json.writeStringField("title", "Portcullis gateway config");
        json.writeStringField("description", "binds -> listeners -> routes, in agentgateway's format; "
                + "generated from the config model by `portcullis schema`");
        json.writeStringField("$ref", ref(GatewayConfig.class));
        json.writeObjectFieldStart("$defs");
        Class<?> next;
        while ((next = pending.poll()) != null) {
            json.writeFieldName(next.getSimpleName());
            record(json, next);
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    /** A reference to the definition of {@code type}, queued to be written once. */
    private String ref(Class<?> type) {
        if (defined.putIfAbsent(type, Boolean.TRUE) == null) {
            Class<?> clash = names.putIfAbsent(type.getSimpleName(), type);
            if (clash != null) {
                throw new IllegalStateException("two config records named " + type.getSimpleName() + ": "
                        + clash.getName() + ", " + type.getName());
            }
            pending.add(type);
        }
        return "#/$defs/" + type.getSimpleName();
    }

    private void record(JsonGenerator json, Class<?> type) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "object");
        json.writeObjectFieldStart("properties");
        for (RecordComponent component : type.getRecordComponents()) {
            json.writeFieldName(component.getName());
            nullable(json, component.getGenericType());
        }
        json.writeEndObject();
        json.writeBooleanField("additionalProperties", false);
        json.writeEndObject();
    }

    /** A component's value: {@code type}, or null (an absent or empty key binds to null). */
    private void nullable(JsonGenerator json, Type type) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("anyOf");
        value(json, type);
        json.writeStartObject();
        json.writeStringField("type", "null");
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The cases of {@code RecordBinder.bindValue}, in its order. */
    private void value(JsonGenerator json, Type type) throws IOException {
        Class<?> raw = RecordBinder.rawClass(type);
        if (Scalars.supports(raw)) {
            scalar(json, raw);
        } else if (raw.isRecord() && RecordBinder.scalarFactory(raw) != null) {
            json.writeStartObject();
            json.writeArrayFieldStart("anyOf");
            json.writeStartObject();
            json.writeStringField("type", "string");
            json.writeEndObject();
            json.writeStartObject();
            json.writeStringField("$ref", ref(raw));
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        } else if (raw.isRecord()) {
            json.writeStartObject();
            json.writeStringField("$ref", ref(raw));
            json.writeEndObject();
        } else if (raw == List.class) {
            json.writeStartObject();
            json.writeStringField("type", "array");
            json.writeFieldName("items"); // a null entry is an error ("empty list entry")
            value(json, RecordBinder.typeArgument(type, 0));
            json.writeEndObject();
        } else if (raw == Map.class) {
            json.writeStartObject();
            json.writeStringField("type", "object");
            json.writeFieldName("additionalProperties");
            scalar(json, String.class);
            json.writeEndObject();
        } else {
            throw new IllegalStateException("config component type " + type + " has no schema");
        }
    }

    private static void scalar(JsonGenerator json, Class<?> type) throws IOException {
        json.writeStartObject();
        if (type == String.class) {
            json.writeArrayFieldStart("type"); // any scalar binds to a string key as its text
            json.writeString("string");
            json.writeString("number");
            json.writeString("boolean");
            json.writeEndArray();
        } else if (type == Integer.class) {
            json.writeStringField("type", "integer");
            json.writeNumberField("minimum", Integer.MIN_VALUE);
            json.writeNumberField("maximum", Integer.MAX_VALUE);
        } else if (type == Long.class) {
            json.writeStringField("type", "integer");
        } else if (type == Boolean.class) {
            json.writeStringField("type", "boolean");
        } else if (type == Duration.class) {
            json.writeStringField("description", "Go duration, e.g. 100ms, 1s, 1m30s");
            json.writeArrayFieldStart("anyOf");
            json.writeStartObject();
            json.writeStringField("type", "string");
            json.writeStringField("pattern", DURATION);
            json.writeEndObject();
            json.writeStartObject();
            json.writeNumberField("const", 0);
            json.writeEndObject();
            json.writeEndArray();
        } else if (type == ByteSize.class) {
            json.writeStringField("description", "bytes, e.g. 65536, 64Ki, 1Mi");
            json.writeArrayFieldStart("anyOf");
            json.writeStartObject();
            json.writeStringField("type", "integer");
            json.writeNumberField("minimum", 0);
            json.writeEndObject();
            json.writeStartObject();
            json.writeStringField("type", "string");
            json.writeStringField("pattern", "^" + ByteSizes.SYNTAX.pattern() + "$");
            json.writeEndObject();
            json.writeEndArray();
        } else if (type.isEnum()) {
            json.writeArrayFieldStart("enum");
            for (Object constant : type.getEnumConstants()) {
                json.writeString(((Enum<?>) constant).name());
            }
            json.writeEndArray();
        } else {
            throw new IllegalStateException("no schema for scalar type " + type);
        }
        json.writeEndObject();
    }
}
