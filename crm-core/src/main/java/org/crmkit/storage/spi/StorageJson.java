package org.crmkit.storage.spi;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.error.StorageException;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.PicklistOption;
import org.crmkit.schema.Pipeline;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.schema.Stage;
import org.crmkit.schema.StageKind;
import org.crmkit.schema.ValidationRule;
import org.jspecify.annotations.Nullable;

/**
 * The JSON text durable storages persist schema snapshots, schema changes and change-log values as, so that every
 * storage writes and reads them alike. Reading gives back values equal to those written, of the same Java types.
 *
 * <p>Field values: {@code null}, {@link String}, {@link Long} and {@link Boolean} are plain JSON; the other types
 * are objects tagged by {@code "t"}: {@code {"t":"decimal","v":"12.50"}} (scale kept), {@code "date"} and
 * {@code "instant"} (ISO-8601, nanoseconds kept), {@code "uuid"}, {@code {"t":"money","amount":"1.00",
 * "currency":"EUR"}}, {@code {"t":"address","city":"Leeds",...}} (the non-null {@link Address#PARTS}),
 * {@code {"t":"strings","v":[...]}} and {@code {"t":"uuids","v":[...]}}. Field changes are an array of
 * {@code {"f":field,"o":old,"n":new}} with empty values left out. Schema changes carry a {@code "kind"}.
 *
 * <p>Thread-safe; create one and share it. Writing a value of any other type is an
 * {@link IllegalArgumentException} naming its class; reading malformed JSON is a {@link StorageException}.
 */
public final class StorageJson {
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Creates a codec. */
    public StorageJson() {}

    /** The whole schema: version, object types and pipelines, in order. */
    public String writeSnapshot(SchemaSnapshot s) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("version", s.version());
            g.writeArrayFieldStart("objectTypes");
            for (ObjectType t : s.objectTypes().values()) {
                writeType(g, t);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("pipelines");
            for (Pipeline p : s.pipelines().values()) {
                writePipeline(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Reads what {@link #writeSnapshot} wrote; object types and pipelines are keyed by their names. */
    public SchemaSnapshot readSnapshot(String json) {
        return read(json, "schema snapshot", n -> {
            Map<String, ObjectType> types = new LinkedHashMap<>();
            list(n, "objectTypes", StorageJson::readType).forEach(t -> types.put(t.name(), t));
            Map<String, Pipeline> pipelines = new LinkedHashMap<>();
            list(n, "pipelines", StorageJson::readPipeline).forEach(p -> pipelines.put(p.name(), p));
            return new SchemaSnapshot(number(n, "version"), types, pipelines);
        });
    }

    /** One schema change, its variant named by a {@code "kind"} property. */
    public String writeSchemaChange(SchemaChange c) {
        return write(g -> {
            g.writeStartObject();
            switch (c) {
                case SchemaChange.AddObjectType a -> {
                    g.writeStringField("kind", "add_object_type");
                    g.writeFieldName("type");
                    writeType(g, a.type());
                }
                case SchemaChange.DeleteObjectType d -> {
                    g.writeStringField("kind", "delete_object_type");
                    g.writeFieldName("type");
                    writeType(g, d.type());
                }
                case SchemaChange.AddField a -> {
                    g.writeStringField("kind", "add_field");
                    g.writeStringField("objectType", a.objectType());
                    g.writeFieldName("field");
                    writeField(g, a.field());
                }
                case SchemaChange.ChangeField ch -> {
                    g.writeStringField("kind", "change_field");
                    g.writeStringField("objectType", ch.objectType());
                    g.writeFieldName("before");
                    writeField(g, ch.before());
                    g.writeFieldName("after");
                    writeField(g, ch.after());
                }
                case SchemaChange.DeleteField d -> {
                    g.writeStringField("kind", "delete_field");
                    g.writeStringField("objectType", d.objectType());
                    g.writeFieldName("field");
                    writeField(g, d.field());
                }
                case SchemaChange.ChangeRules r -> {
                    g.writeStringField("kind", "change_rules");
                    g.writeStringField("objectType", r.objectType());
                    writeRules(g, r.rules());
                }
                case SchemaChange.SavePipeline p -> {
                    g.writeStringField("kind", "save_pipeline");
                    g.writeFieldName("pipeline");
                    writePipeline(g, p.pipeline());
                }
            }
            g.writeEndObject();
        });
    }

    /** Reads what {@link #writeSchemaChange} wrote. */
    public SchemaChange readSchemaChange(String json) {
        return read(json, "schema change", n -> {
            String kind = text(n, "kind");
            return switch (kind) {
                case "add_object_type" -> new SchemaChange.AddObjectType(readType(required(n, "type")));
                case "delete_object_type" -> new SchemaChange.DeleteObjectType(readType(required(n, "type")));
                case "add_field" -> new SchemaChange.AddField(text(n, "objectType"), readField(required(n, "field")));
                case "change_field" -> new SchemaChange.ChangeField(text(n, "objectType"),
                        readField(required(n, "before")), readField(required(n, "after")));
                case "delete_field" -> new SchemaChange.DeleteField(text(n, "objectType"),
                        readField(required(n, "field")));
                case "change_rules" -> new SchemaChange.ChangeRules(text(n, "objectType"),
                        list(n, "rules", StorageJson::readRule));
                case "save_pipeline" -> new SchemaChange.SavePipeline(readPipeline(required(n, "pipeline")));
                default -> throw new IllegalArgumentException("unknown schema change kind \"" + kind + "\"");
            };
        });
    }

    /**
     * The field changes of one change-log entry, in order.
     *
     * @throws IllegalArgumentException if a value is of a type fields do not have (named in the message)
     */
    public String writeChanges(List<FieldChange> changes) {
        return write(g -> {
            g.writeStartArray();
            for (FieldChange c : changes) {
                g.writeStartObject();
                g.writeStringField("f", c.field());
                if (c.oldValue() != null) {
                    g.writeFieldName("o");
                    writeValue(g, c.oldValue());
                }
                if (c.newValue() != null) {
                    g.writeFieldName("n");
                    writeValue(g, c.newValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** Reads what {@link #writeChanges} wrote. */
    public List<FieldChange> readChanges(String json) {
        return read(json, "field changes", n -> elements(n, "field changes",
                c -> new FieldChange(text(c, "f"), readValue(c.get("o")), readValue(c.get("n")))));
    }

    /**
     * One field value (or null) in the encoding of the class description.
     *
     * @throws IllegalArgumentException if the value is of a type fields do not have (named in the message)
     */
    public String writeValue(@Nullable Object v) {
        return write(g -> writeValue(g, v));
    }

    /** Reads what {@link #writeValue} wrote: a value of the same Java type, equal to it, or null. */
    public @Nullable Object readValue(String json) {
        return read(json, "value", StorageJson::readValue);
    }

    @FunctionalInterface
    private interface Writing {
        void writeTo(JsonGenerator g) throws IOException;
    }

    private String write(Writing body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private <T> T read(String json, String what, Function<JsonNode, T> reader) {
        try {
            JsonNode root = mapper.readTree(json);
            if (root.isMissingNode()) {
                throw new IllegalArgumentException("no JSON content");
            }
            return reader.apply(root);
        } catch (JacksonException | RuntimeException e) {
            throw new StorageException("cannot read " + what + " from storage JSON: " + e.getMessage(), e);
        }
    }

    private static void writeValue(JsonGenerator g, @Nullable Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Long l -> g.writeNumber(l);
            case Boolean b -> g.writeBoolean(b);
            case BigDecimal d -> writeTagged(g, "decimal", d);
            case LocalDate d -> writeTagged(g, "date", d);
            case Instant i -> writeTagged(g, "instant", i);
            case UUID u -> writeTagged(g, "uuid", u);
            case Money m -> {
                g.writeStartObject();
                g.writeStringField("t", "money");
                g.writeStringField("amount", m.amount().toString());
                g.writeStringField("currency", m.currency());
                g.writeEndObject();
            }
            case Address a -> {
                g.writeStartObject();
                g.writeStringField("t", "address");
                for (Map.Entry<String, String> part : a.parts().entrySet()) {
                    g.writeStringField(part.getKey(), part.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                Class<?> element = !list.isEmpty() && list.get(0) instanceof UUID ? UUID.class : String.class;
                g.writeStartObject();
                g.writeStringField("t", element == UUID.class ? "uuids" : "strings");
                g.writeArrayFieldStart("v");
                for (Object e : list) {
                    if (!element.isInstance(e)) {
                        throw new IllegalArgumentException("cannot store a list holding "
                                + (e == null ? "null" : e.getClass().getName()) + " next to " + element.getName());
                    }
                    g.writeString(e.toString());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            default -> throw new IllegalArgumentException("cannot store a value of type " + v.getClass().getName());
        }
    }

    /** Tagged scalar; {@code toString()} of these types is exact (BigDecimal keeps its scale, Instant its nanos). */
    private static void writeTagged(JsonGenerator g, String tag, Object v) throws IOException {
        g.writeStartObject();
        g.writeStringField("t", tag);
        g.writeStringField("v", v.toString());
        g.writeEndObject();
    }

    private static @Nullable Object readValue(@Nullable JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("not a stored value: " + n.getNodeType());
        }
        String type = text(n, "t");
        return switch (type) {
            case "decimal" -> new BigDecimal(text(n, "v"));
            case "date" -> LocalDate.parse(text(n, "v"));
            case "instant" -> Instant.parse(text(n, "v"));
            case "uuid" -> UUID.fromString(text(n, "v"));
            case "money" -> new Money(new BigDecimal(text(n, "amount")), text(n, "currency"));
            case "address" -> new Address(nullableText(n, "street"), nullableText(n, "city"),
                    nullableText(n, "region"), nullableText(n, "postal_code"), nullableText(n, "country"));
            case "strings" -> list(n, "v", e -> string(e, "list element"));
            case "uuids" -> list(n, "v", e -> UUID.fromString(string(e, "list element")));
            default -> throw new IllegalArgumentException("unknown value type \"" + type + "\"");
        };
    }

    private static void writeType(JsonGenerator g, ObjectType t) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("label", t.label());
        g.writeBooleanField("custom", t.custom());
        g.writeArrayFieldStart("fields");
        for (Field f : t.fields()) {
            writeField(g, f);
        }
        g.writeEndArray();
        writeRules(g, t.rules());
        g.writeEndObject();
    }

    private static ObjectType readType(JsonNode n) {
        return new ObjectType(text(n, "name"), text(n, "label"), bool(n, "custom"),
                list(n, "fields", StorageJson::readField), list(n, "rules", StorageJson::readRule));
    }

    private static void writeField(JsonGenerator g, Field f) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", f.name());
        g.writeStringField("type", f.type().name());
        g.writeStringField("label", f.label());
        g.writeBooleanField("required", f.required());
        g.writeBooleanField("unique", f.unique());
        g.writeBooleanField("searchable", f.searchable());
        g.writeBooleanField("indexed", f.indexed());
        g.writeBooleanField("encrypted", f.encrypted());
        g.writeBooleanField("system", f.system());
        g.writeBooleanField("deprecated", f.deprecated());
        g.writeFieldName("defaultValue");
        writeValue(g, f.defaultValue());
        g.writeNumberField("maxLength", f.maxLength());
        writeNullable(g, "min", f.min());
        writeNullable(g, "max", f.max());
        g.writeNumberField("scale", f.scale());
        g.writeArrayFieldStart("options");
        for (PicklistOption o : f.options()) {
            g.writeStartObject();
            g.writeStringField("value", o.value());
            g.writeStringField("label", o.label());
            g.writeBooleanField("active", o.active());
            g.writeEndObject();
        }
        g.writeEndArray();
        writeNullable(g, "target", f.target());
        writeNullable(g, "expression", f.expression());
        writeNullable(g, "resultType", f.resultType() == null ? null : f.resultType().name());
        if (f.visibleRegardlessOfInputs()) {
            g.writeBooleanField("visibleRegardlessOfInputs", true);
        }
        g.writeEndObject();
    }

    private static Field readField(JsonNode n) {
        String min = nullableText(n, "min");
        String max = nullableText(n, "max");
        String resultType = nullableText(n, "resultType");
        return new Field(text(n, "name"), FieldType.valueOf(text(n, "type")), text(n, "label"),
                bool(n, "required"), bool(n, "unique"), bool(n, "searchable"), bool(n, "indexed"),
                bool(n, "encrypted"), bool(n, "system"), bool(n, "deprecated"), readValue(required(n, "defaultValue")),
                Math.toIntExact(number(n, "maxLength")), min == null ? null : new BigDecimal(min),
                max == null ? null : new BigDecimal(max), Math.toIntExact(number(n, "scale")),
                list(n, "options", o -> new PicklistOption(text(o, "value"), text(o, "label"), bool(o, "active"))),
                nullableText(n, "target"), nullableText(n, "expression"),
                resultType == null ? null : FieldType.valueOf(resultType),
                n.has("visibleRegardlessOfInputs") && bool(n, "visibleRegardlessOfInputs"));
    }

    private static void writeRules(JsonGenerator g, List<ValidationRule> rules) throws IOException {
        g.writeArrayFieldStart("rules");
        for (ValidationRule r : rules) {
            g.writeStartObject();
            g.writeStringField("name", r.name());
            g.writeStringField("expression", r.expression());
            g.writeStringField("message", r.message());
            writeNullable(g, "field", r.field());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static ValidationRule readRule(JsonNode n) {
        return new ValidationRule(text(n, "name"), text(n, "expression"), text(n, "message"),
                nullableText(n, "field"));
    }

    private static void writePipeline(JsonGenerator g, Pipeline p) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", p.name());
        g.writeStringField("label", p.label());
        g.writeArrayFieldStart("stages");
        for (Stage s : p.stages()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("label", s.label());
            g.writeNumberField("probability", s.probability());
            g.writeStringField("kind", s.kind().name());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static Pipeline readPipeline(JsonNode n) {
        return new Pipeline(text(n, "name"), text(n, "label"), list(n, "stages", s -> new Stage(text(s, "name"),
                text(s, "label"), Math.toIntExact(number(s, "probability")), StageKind.valueOf(text(s, "kind")))));
    }

    /** Writes {@code v.toString()} (exact for BigDecimal), or null. */
    private static void writeNullable(JsonGenerator g, String key, @Nullable Object v) throws IOException {
        g.writeFieldName(key);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeString(v.toString());
        }
    }

    private static JsonNode required(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return v;
    }

    private static String text(JsonNode n, String key) {
        return string(required(n, key), "\"" + key + "\"");
    }

    private static @Nullable String nullableText(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : string(v, "\"" + key + "\"");
    }

    private static String string(JsonNode v, String what) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException(what + " is not text but " + v.getNodeType());
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode n, String key) {
        JsonNode v = required(n, key);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("\"" + key + "\" is not a boolean but " + v.getNodeType());
        }
        return v.booleanValue();
    }

    private static long number(JsonNode n, String key) {
        JsonNode v = required(n, key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("\"" + key + "\" is not a whole number");
        }
        return v.longValue();
    }

    private static <T> List<T> list(JsonNode n, String key, Function<JsonNode, T> element) {
        return elements(required(n, key), "\"" + key + "\"", element);
    }

    private static <T> List<T> elements(JsonNode array, String what, Function<JsonNode, T> element) {
        if (!array.isArray()) {
            throw new IllegalArgumentException(what + " is not an array but " + array.getNodeType());
        }
        List<T> out = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            out.add(element.apply(e));
        }
        return List.copyOf(out);
    }
}
