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
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    /**
     * Reads what {@link #write} wrote: a value of the same Java type, equal to it, or null. One reading for trees and
     * streams: the tree's tokens go through {@link StreamedChanges#readValue}.
     */
    static @Nullable Object read(@Nullable JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        try (JsonParser p = n.traverse()) {
            p.nextToken();
            return StreamedChanges.readValue(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a tree in memory does not fail to read
        }
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
