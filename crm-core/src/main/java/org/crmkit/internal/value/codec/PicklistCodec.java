package org.crmkit.internal.value.codec;

import org.crmkit.error.FieldErrorCode;
import org.crmkit.schema.Field;
import org.crmkit.schema.PicklistOption;
import org.jspecify.annotations.Nullable;

/** One option of a picklist, by its value; writes take active options only. */
final class PicklistCodec implements FieldCodec {
    @Override
    public @Nullable String write(Field field, Object raw, Problems p) {
        if (!(raw instanceof String s)) {
            return p.wrongType(raw, "an option value");
        }
        if (s.isBlank()) {
            return null;
        }
        return activeOption(field, s, p);
    }

    @Override
    public @Nullable String filter(String path, @Nullable Field field, Object raw, Problems p) {
        return anyOption(path, field, raw, p);
    }

    /** {@code value} when it is an active option of {@code field}, else null and an error. */
    static @Nullable String activeOption(Field field, String value, Problems p) {
        PicklistOption option = field.option(value).orElse(null);
        if (option == null || !option.active()) {
            return p.fail(FieldErrorCode.UNKNOWN_OPTION, "'" + Problems.abbreviate(value) + "' is not an option of "
                    + field.name());
        }
        return value;
    }

    /** A filter value: an option of {@code field}, active or not (any text when the field is unknown). */
    static @Nullable String anyOption(String path, @Nullable Field field, Object raw, Problems p) {
        if (!(raw instanceof String s)) {
            return p.wrongType(raw, "an option value");
        }
        if (field != null && field.option(s).isEmpty()) {
            return p.fail(FieldErrorCode.UNKNOWN_OPTION, "'" + Problems.abbreviate(s) + "' is not an option of "
                    + path);
        }
        return s;
    }
}
