package org.crmkit.internal.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a keyset position (the sort-key values of the last row of a page) as an opaque URL-safe cursor and
 * back. The cursor also carries the sort keys it was made for, so it cannot be replayed on another ordering.
 */
final class CursorCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CursorCodec() {}

    static String encode(String sortSignature, List<@Nullable Object> key) {
        List<Object> cells = new ArrayList<>();
        cells.add(sortSignature);
        for (Object v : key) {
            cells.add(v == null ? List.of("n") : List.of(tag(v), text(v)));
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(cells));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes a cursor made for {@code sortSignature}; null when it is malformed or made for other sort keys. */
    static @Nullable List<@Nullable Object> decode(String sortSignature, String cursor, int keys) {
        try {
            List<?> cells = JSON.readValue(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)),
                    List.class);
            if (cells.size() != keys + 1 || !sortSignature.equals(cells.get(0))) {
                return null;
            }
            List<@Nullable Object> out = new ArrayList<>();
            for (Object cell : cells.subList(1, cells.size())) {
                List<?> c = (List<?>) cell;
                out.add(c.size() == 1 ? null : value((String) c.get(0), (String) c.get(1)));
            }
            return out;
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }

    private static String tag(Object v) {
        return switch (v) {
            case String s -> "s";
            case Long l -> "l";
            case BigDecimal d -> "d";
            case Boolean b -> "b";
            case LocalDate d -> "D";
            case Instant i -> "I";
            case UUID u -> "u";
            default -> throw new IllegalArgumentException("cannot put " + v.getClass() + " in a cursor");
        };
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    }

    private static Object value(String tag, String text) {
        return switch (tag) {
            case "s" -> text;
            case "l" -> Long.parseLong(text);
            case "d" -> new BigDecimal(text);
            case "b" -> Boolean.parseBoolean(text);
            case "D" -> LocalDate.parse(text);
            case "I" -> Instant.parse(text);
            case "u" -> UUID.fromString(text);
            default -> throw new IllegalArgumentException(tag);
        };
    }
}
