package org.crmkit.storage.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.jspecify.annotations.Nullable;

/**
 * The tagged encoding of one field value (the one custom serializer of {@link StorageJson}): {@code null},
 * {@link String}, {@link Long} and {@link Boolean} are plain JSON, every other type an object tagged by {@code "t"}
 * whose text is the value's exact {@code toString()} (a BigDecimal keeps its scale, an Instant its nanoseconds).
 */
final class StoredValues {
    private StoredValues() {}

    /** Writes {@code v} tagged; a value of a type fields do not have is an {@link IllegalArgumentException}. */
    static void write(JsonGenerator g, @Nullable Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Long l -> g.writeNumber(l);
            case Boolean b -> g.writeBoolean(b);
            case BigDecimal d -> tagged(g, "decimal", d);
            case LocalDate d -> tagged(g, "date", d);
            case Instant i -> tagged(g, "instant", i);
            case UUID u -> tagged(g, "uuid", u);
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

    private static void tagged(JsonGenerator g, String tag, Object v) throws IOException {
        g.writeStartObject();
        g.writeStringField("t", tag);
        g.writeStringField("v", v.toString());
        g.writeEndObject();
    }

    /** Reads what {@link #write} wrote: a value of the same Java type, equal to it, or null. */
    static @Nullable Object read(@Nullable JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
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
            case "address" -> new Address(optional(n, "street"), optional(n, "city"), optional(n, "region"),
                    optional(n, "postal_code"), optional(n, "country"));
            case "strings" -> list(n, e -> e);
            case "uuids" -> list(n, UUID::fromString);
            default -> throw new IllegalArgumentException("unknown value type \"" + type + "\"");
        };
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" is " + (v == null ? "missing" : "not text"));
        }
        return v.textValue();
    }

    private static @Nullable String optional(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : text(n, key);
    }

    private static <T> List<T> list(JsonNode n, Function<String, T> element) {
        JsonNode array = n.get("v");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("\"v\" is not an array");
        }
        List<T> out = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("list element is not text but " + e.getNodeType());
            }
            out.add(element.apply(e.textValue()));
        }
        return List.copyOf(out);
    }

    /** {@link #write} as a Jackson serializer, for the value properties of the stored types. */
    static final class Serializer extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;

        Serializer() {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator g, SerializerProvider provider) throws IOException {
            write(g, value);
        }
    }

    /** {@link #read} as a Jackson deserializer; JSON null stays null. */
    static final class Deserializer extends StdDeserializer<Object> {
        private static final long serialVersionUID = 1L;

        Deserializer() {
            super(Object.class);
        }

        @Override
        public @Nullable Object deserialize(JsonParser p, DeserializationContext context) throws IOException {
            return read(context.readTree(p));
        }
    }
}
