package org.crmkit.storage.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.event.FieldChange;
import org.crmkit.record.Address;
import org.crmkit.record.Money;
import org.jspecify.annotations.Nullable;

/**
 * Writes field changes, and reads them with their tagged values ({@link StoredValues}' encoding), token by token,
 * without beans or trees in between: every write and every backup makes them, the change log and restores read
 * millions. It reads what the bean writing of {@link FieldChange} wrote and refuses what its reading refused: unknown
 * properties are skipped, a missing or mistyped one is an {@link IllegalArgumentException} naming it (duplicate
 * properties are the parser's to refuse). {@link StoredValues#read} reads a tree's tokens through it.
 */
final class StreamedChanges {
    private StreamedChanges() {}

    /**
     * Writes {@code changes} as the bean writing of {@link FieldChange} does: {@code f}, then {@code o} and {@code n}
     * when not null, each value tagged ({@link StoredValues#write}).
     */
    static void writeChanges(JsonGenerator g, List<FieldChange> changes) throws IOException {
        g.writeStartArray();
        for (FieldChange c : changes) {
            g.writeStartObject();
            g.writeStringField("f", c.field());
            if (c.oldValue() != null) {
                g.writeFieldName("o");
                StoredValues.write(g, c.oldValue());
            }
            if (c.newValue() != null) {
                g.writeFieldName("n");
                StoredValues.write(g, c.newValue());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** The changes of the array at the parser's current token, which must be its start; ends on its end. */
    static List<FieldChange> readChanges(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("field changes are not an array but " + kind(p.currentToken()));
        }
        List<FieldChange> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a field change is not an object but " + kind(t));
            }
            String field = null;
            Object oldValue = null;
            Object newValue = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "f" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new IllegalArgumentException("a field change's \"f\" is not text but " + kind(value));
                        }
                        field = p.getText();
                    }
                    case "o" -> oldValue = readValue(p);
                    case "n" -> newValue = readValue(p);
                    default -> p.skipChildren();
                }
            }
            if (field == null) {
                throw new IllegalArgumentException("a field change has no \"f\"");
            }
            out.add(new FieldChange(field, oldValue, newValue));
        }
        return List.copyOf(out);
    }

    /** The value that starts at the parser's current token; ends on its last token. */
    static @Nullable Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType n = p.getNumberType();
                if (n != JsonParser.NumberType.INT && n != JsonParser.NumberType.LONG) {
                    throw new IllegalArgumentException("not a stored value: NUMBER");
                }
                yield p.getLongValue();
            }
            case START_OBJECT -> tagged(p);
            default -> throw new IllegalArgumentException("not a stored value: " + kind(t));
        };
    }

    /** A property of a tagged value that is not text: what it is, for the message. */
    private record NotText(String kind) {}

    /** The array a tagged value holds in {@code "v"}: its texts, or the kind of its first element that is not. */
    private record TextArray(List<String> texts, @Nullable String notText) {}

    private static Object tagged(JsonParser p) throws IOException {
        Map<String, @Nullable Object> properties = new HashMap<>(8);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            properties.put(name, switch (t) {
                case VALUE_STRING -> p.getText();
                case VALUE_NULL -> null;
                case START_ARRAY -> name.equals("v") ? textArray(p) : notText(p, t);
                default -> notText(p, t);
            });
        }
        String type = text(properties, "t");
        return switch (type) {
            case "decimal" -> new BigDecimal(text(properties, "v"));
            case "date" -> LocalDate.parse(text(properties, "v"));
            case "instant" -> Instant.parse(text(properties, "v"));
            case "uuid" -> UUID.fromString(text(properties, "v"));
            case "money" -> new Money(new BigDecimal(text(properties, "amount")), text(properties, "currency"));
            case "address" -> new Address(optional(properties, "street"), optional(properties, "city"),
                    optional(properties, "region"), optional(properties, "postal_code"),
                    optional(properties, "country"));
            case "strings" -> list(properties, e -> e);
            case "uuids" -> list(properties, UUID::fromString);
            default -> throw new IllegalArgumentException("unknown value type \"" + type + "\"");
        };
    }

    private static NotText notText(JsonParser p, JsonToken t) throws IOException {
        p.skipChildren();
        return new NotText(kind(t));
    }

    private static TextArray textArray(JsonParser p) throws IOException {
        List<String> texts = new ArrayList<>();
        String notText = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                texts.add(p.getText());
            } else {
                p.skipChildren();
                if (notText == null) {
                    notText = kind(t);
                }
            }
        }
        return new TextArray(texts, notText);
    }

    private static String text(Map<String, @Nullable Object> properties, String key) {
        if (properties.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("\"" + key + "\" is " + (properties.containsKey(key) ? "not text"
                : "missing"));
    }

    private static @Nullable String optional(Map<String, @Nullable Object> properties, String key) {
        return properties.get(key) == null ? null : text(properties, key);
    }

    private static <T> List<T> list(Map<String, @Nullable Object> properties, Function<String, T> element) {
        if (!(properties.get("v") instanceof TextArray array)) {
            throw new IllegalArgumentException("\"v\" is not an array");
        }
        if (array.notText() != null) {
            throw new IllegalArgumentException("list element is not text but " + array.notText());
        }
        List<T> out = new ArrayList<>(array.texts().size());
        for (String e : array.texts()) {
            out.add(element.apply(e));
        }
        return List.copyOf(out);
    }

    /** A token's kind as {@link com.fasterxml.jackson.databind.node.JsonNodeType} names it, for messages. */
    static String kind(@Nullable JsonToken t) {
        if (t == null) {
            return "MISSING";
        }
        return switch (t) {
            case START_OBJECT -> "OBJECT";
            case START_ARRAY -> "ARRAY";
            case VALUE_STRING -> "STRING";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
            case VALUE_NULL -> "NULL";
            default -> t.name();
        };
    }
}
