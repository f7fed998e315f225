package org.crmkit.internal.value.codec;

import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.TextChecks;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.jspecify.annotations.Nullable;

/** Text and long text: kept as typed, refused with bad characters or beyond the field's length. */
final class TextCodec implements FieldCodec {
    @Override
    public @Nullable String write(Field field, Object raw, Problems p) {
        if (!(raw instanceof CharSequence cs)) {
            return p.wrongType(raw, "text");
        }
        String s = cs.toString();
        if (s.isBlank()) {
            return null;
        }
        String bad = TextChecks.badCharacter(s, field.type() == FieldType.LONG_TEXT);
        if (bad != null) {
            return p.fail(FieldErrorCode.INVALID_CHARACTER, "contains " + bad);
        }
        int max = field.effectiveMaxLength();
        int length = TextChecks.length(s);
        if (length > max) {
            return p.fail(FieldErrorCode.TOO_LONG, length + " characters, at most " + max + " allowed");
        }
        return s;
    }

    @Override
    public @Nullable String filter(String path, @Nullable Field field, Object raw, Problems p) {
        return plainText(raw, p);
    }

    /** A filter value compared with text as given: any string, unchecked. */
    static @Nullable String plainText(Object raw, Problems p) {
        return raw instanceof String s ? s : p.wrongType(raw, "text");
    }
}
