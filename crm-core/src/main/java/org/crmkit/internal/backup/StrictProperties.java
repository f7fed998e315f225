package org.crmkit.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The strict reads of an archive line's properties: a missing or mistyped property is an
 * {@link IllegalArgumentException} naming it, which the reader reports with the part and line.
 */
final class StrictProperties {
    private StrictProperties() {}

    static JsonNode node(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(name + ": missing");
        }
        return v;
    }

    static String text(JsonNode n, String name) {
        JsonNode v = node(n, name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(name + ": not text");
        }
        return v.asText();
    }

    static @Nullable String optionalText(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(name + ": not text");
        }
        return v.asText();
    }

    static long nonNegative(JsonNode n, String name) {
        JsonNode v = node(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException(name + ": not a number of 0 or more");
        }
        return v.asLong();
    }

    static long positive(JsonNode n, String name) {
        long v = nonNegative(n, name);
        if (v < 1) {
            throw new IllegalArgumentException(name + ": not a number of 1 or more");
        }
        return v;
    }

    static UUID uuid(JsonNode n, String name) {
        String s = text(n, name);
        try {
            UUID u = UUID.fromString(s);
            if (!u.toString().equals(s)) {
                throw new IllegalArgumentException(name + ": not a canonical UUID");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not a UUID");
        }
    }

    static Instant instant(JsonNode n, String name) {
        return parseInstant(name, text(n, name));
    }

    static Instant parseInstant(String name, String s) {
        Instant fast = Instants.parseCanonical(s);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": not an ISO-8601 instant");
        }
    }
}
