package org.crmkit.internal.value.codec;

import java.util.Map;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.record.Address;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Postal addresses, from an {@link Address} or a map of its parts; each part checked as text, blanks dropped. */
final class AddressCodec implements FieldCodec {
    @Override
    public @Nullable Address write(Field field, Object raw, Problems p) {
        Address a;
        if (raw instanceof Address given) {
            a = given;
        } else if (raw instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                if (!(key instanceof String k) || !Address.PARTS.contains(k)) {
                    return p.fail(FieldErrorCode.UNKNOWN_FIELD, "address has no part '" + key + "'; parts are "
                            + Address.PARTS);
                }
            }
            a = new Address(part(map.get("street"), p), part(map.get("city"), p), part(map.get("region"), p),
                    part(map.get("postal_code"), p), part(map.get("country"), p));
        } else {
            return p.wrongType(raw, "an address");
        }
        for (String part : Address.PARTS) {
            String v = a.part(part);
            if (v == null) {
                continue;
            }
            String bad = TextChecks.badCharacter(v, part.equals("street"));
            if (bad != null) {
                return p.fail(FieldErrorCode.INVALID_CHARACTER, part + " contains " + bad);
            }
            if (TextChecks.length(v) > Field.DEFAULT_TEXT_LENGTH) {
                return p.fail(FieldErrorCode.TOO_LONG, part + " is longer than " + Field.DEFAULT_TEXT_LENGTH);
            }
        }
        Address clean = new Address(blankToNull(a.street()), blankToNull(a.city()), blankToNull(a.region()),
                blankToNull(a.postalCode()), blankToNull(a.country()));
        return clean.isEmpty() ? null : clean;
    }

    /** An address as a whole is not a filter value. */
    @Override
    public @Nullable Object filter(String path, @Nullable Field field, Object raw, Problems p) {
        return p.fail(FieldErrorCode.UNSUPPORTED_OPERATION, "cannot compare " + path);
    }

    private static @Nullable String part(@Nullable Object v, Problems p) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        return p.wrongType(v, "text");
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
