package org.crmkit.internal.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.crmkit.schema.FieldType;
import org.crmkit.storage.spi.ResolvedPath;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a keyset position (the sort-key values of the last row of a page) as an opaque URL-safe cursor and
 * back. A cursor is {@code base64url(cells) "." base64url(HMAC-SHA256)}: the MAC covers the cells and the query
 * they were made for (object type, principal, filter as checked, sort keys, deletion state), under a key that is
 * per storage ({@link CursorKey}). So a cursor cannot be forged, edited, or replayed on another query or by
 * another principal. Decoding also checks every cell against its sort key's type and bounds (plain decimals of at
 * most 40 + 40 digits, years 1 to 9999, canonical UUIDs, text without NUL), so a cursor that got through the MAC
 * with a leaked key still cannot make the database work on absurd values. The format is versioned by the MAC's
 * domain ({@code crmkit-cursor-v1}): a later format signs under another and old cursors simply stop matching.
 */
final class CursorCodec {
    /** Longer cursors are refused before they are decoded. */
    static final int MAX_LENGTH = 65_536;
    private static final Pattern LONG = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,40}(\\.[0-9]{1,40})?");
    private static final Instant MIN_INSTANT = LocalDate.of(1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant MAX_INSTANT = LocalDate.of(10_000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private final CursorKey key;
    private final ObjectMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    CursorCodec(CursorKey key) {
        this.key = key;
    }

    /** The cursor of position {@code values} (one per sort key, then the id) in the query {@code binding}. */
    String encode(String binding, List<@Nullable Object> values) {
        List<Object> cells = new ArrayList<>();
        for (Object v : values) {
            cells.add(v == null ? List.of("n") : List.of(tag(v), text(v)));
        }
        try {
            byte[] payload = json.writeValueAsBytes(cells);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString(payload) + "." + b64.encodeToString(mac(binding, payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The position a cursor holds, if it was made by this storage's key for the query {@code binding} and each cell
     * fits its sort key ({@code sorts}, then the id); null otherwise, whatever is wrong with it.
     */
    @Nullable
    List<@Nullable Object> decode(String binding, String cursor, List<ResolvedPath> sorts) {
        if (cursor.length() > MAX_LENGTH) {
            return null;
        }
        int dot = cursor.indexOf('.');
        if (dot < 0 || cursor.indexOf('.', dot + 1) >= 0) {
            return null;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] payload = b64.decode(cursor.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
            byte[] mac = b64.decode(cursor.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(mac, mac(binding, payload))) {
                return null;
            }
            List<?> cells = json.readValue(payload, List.class);
            if (cells.size() != sorts.size() + 1) {
                return null;
            }
            List<@Nullable Object> out = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                FieldType type = i < sorts.size() ? sorts.get(i).valueType() : FieldType.REFERENCE;
                if (!(cells.get(i) instanceof List<?> c) || c.isEmpty() || c.size() > 2
                        || !(c.get(0) instanceof String tag)) {
                    return null;
                }
                if (c.size() == 1) {
                    if (!tag.equals("n") || i == sorts.size()) {
                        return null;
                    }
                    out.add(null);
                } else if (c.get(1) instanceof String text) {
                    Object v = value(type, tag, text);
                    if (v == null) {
                        return null;
                    }
                    out.add(v);
                } else {
                    return null;
                }
            }
            return out;
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }

    private byte[] mac(String binding, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
            mac.update("crmkit-cursor-v1".getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(binding.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
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

    /** The cell's value if its tag is the one of the sort key's type and its text a bounded value of it. */
    private static @Nullable Object value(FieldType type, String tag, String text) {
        return switch (type) {
            case INTEGER -> tag.equals("l") && LONG.matcher(text).matches() ? Long.parseLong(text) : null;
            case DECIMAL, PERCENT, CURRENCY -> tag.equals("d") && DECIMAL.matcher(text).matches()
                    ? new BigDecimal(text) : null;
            case BOOLEAN -> tag.equals("b") && (text.equals("true") || text.equals("false"))
                    ? Boolean.valueOf(text) : null;
            case DATE -> {
                if (!tag.equals("D")) {
                    yield null;
                }
                LocalDate d = LocalDate.parse(text);
                yield d.getYear() >= 1 && d.getYear() <= 9999 && d.toString().equals(text) ? d : null;
            }
            case DATETIME -> {
                if (!tag.equals("I")) {
                    yield null;
                }
                Instant t = Instant.parse(text);
                yield !t.isBefore(MIN_INSTANT) && t.isBefore(MAX_INSTANT) ? t : null;
            }
            case REFERENCE -> {
                if (!tag.equals("u") || text.length() != 36) {
                    yield null;
                }
                UUID u = UUID.fromString(text);
                yield u.toString().equals(text) ? u : null;
            }
            default -> tag.equals("s") && text.indexOf('\0') < 0 ? text : null;
        };
    }
}
