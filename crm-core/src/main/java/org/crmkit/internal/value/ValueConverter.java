package org.crmkit.internal.value;

import java.util.List;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.value.codec.FieldCodecs;
import org.crmkit.internal.value.codec.Problems;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.jspecify.annotations.Nullable;

/**
 * Turns what callers pass (plain Java values, strings from imports) into the canonical value of a field, or
 * reports why it cannot: a facade over the {@link FieldCodecs} registry, which holds one codec per field type.
 * Canonical values are what records hold and storages store: see {@link FieldType}.
 */
public final class ValueConverter {
    private final FieldCodecs codecs;

    /**
     * @param phoneRegion     ISO 3166 region used to read national phone numbers ("GB", "US")
     * @param defaultCurrency ISO 4217 code given to plain numbers written to currency fields
     */
    public ValueConverter(String phoneRegion, String defaultCurrency) {
        this(FieldCodecs.standard(phoneRegion, defaultCurrency));
    }

    /** A converter over {@code codecs}. */
    public ValueConverter(FieldCodecs codecs) {
        this.codecs = codecs;
    }

    /** Whether libphonenumber can read national numbers of {@code region} (upper case ISO 3166, as "GB"). */
    public static boolean isSupportedRegion(String region) {
        return FieldCodecs.isSupportedRegion(region);
    }

    /** Whether {@code code} is an ISO 4217 currency code, in upper case. */
    public static boolean isCurrencyCode(String code) {
        return FieldCodecs.isCurrencyCode(code);
    }

    /**
     * Does ahead, on any thread, the costly part of a later {@link #convert} of {@code raw} to {@code field}
     * ({@link org.crmkit.internal.value.codec.FieldCodec#prepare}); a value it cannot read is left to the convert.
     */
    public void prepare(Field field, @Nullable Object raw) {
        if (raw != null) {
            try {
                codecs.codec(field.type()).prepare(field, raw);
            } catch (RuntimeException e) {
                // the convert reads it again and reports it
            }
        }
    }

    /** Whether {@link #prepare} does anything for values of {@code field}. */
    public boolean prepares(Field field) {
        return codecs.codec(field.type()).prepares();
    }

    /** Forgets every value {@link #prepare} remembered. */
    public void forgetPrepared() {
        for (FieldType type : FieldType.values()) {
            codecs.codec(type).forgetPrepared();
        }
    }

    /**
     * Converts a value written to {@code field}. Adds errors to {@code errors} (named after {@code name}) and
     * returns null when the value is invalid; null or blank input gives null (an empty field).
     */
    public @Nullable Object convert(Field field, @Nullable Object raw, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        Problems p = new Problems(field.name(), errors);
        try {
            return codecs.codec(field.type()).write(field, raw, p);
        } catch (RuntimeException e) {
            return unreadable(raw, e, p);
        }
    }

    /**
     * Converts a value compared against a path of type {@code type} in a filter: the same reading as writes,
     * without length, range, scale or option-activity checks.
     */
    public @Nullable Object convertForFilter(String path, FieldType type, @Nullable Field field, Object raw,
            List<FieldError> errors) {
        Problems p = new Problems(path, errors);
        try {
            return codecs.codec(type).filter(path, field, raw, p);
        } catch (RuntimeException e) {
            return unreadable(raw, e, p);
        }
    }

    /** Input a codec cannot read at all (a null inside a list, say) is a wrong type, not a failed call. */
    private static @Nullable Object unreadable(Object raw, RuntimeException e, Problems p) {
        return p.fail(FieldErrorCode.WRONG_TYPE, "cannot read " + Problems.describe(raw) + ": " + e.getMessage());
    }

    /** The caller's text safe for a message: cut to 60 characters, control and bidi characters escaped. */
    static String abbreviate(String s) {
        return Problems.abbreviate(s);
    }
}
