package org.crmkit.internal.value.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Reading shared by the numeric codecs: any Java number or numeric text to an exact decimal, then scale and range. */
final class Numbers {
    /** Largest number of significant digits a decimal, currency or percent value may have. */
    static final int MAX_PRECISION = 18;

    private Numbers() {}

    /** {@code raw} as an exact decimal, unchecked against any field; null for blank text or after an error. */
    static @Nullable BigDecimal read(Object raw, Problems p) {
        return raw instanceof String s ? (s.isBlank() ? null : parseDecimal(s.strip(), p)) : numberAsDecimal(raw, p);
    }

    /** {@code raw} read as a decimal of exactly {@code scale} fractional digits that fits {@link #MAX_PRECISION}. */
    static @Nullable BigDecimal scaled(int scale, Object raw, Problems p) {
        BigDecimal d = read(raw, p);
        if (d == null) {
            return null;
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() > scale) {
            return p.fail(FieldErrorCode.TOO_PRECISE, Problems.abbreviate(d.toPlainString()) + " has more than "
                    + scale + " decimal places");
        }
        BigDecimal result = d.setScale(scale, RoundingMode.UNNECESSARY);
        if (result.precision() - result.scale() > MAX_PRECISION - scale) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, Problems.abbreviate(d.toPlainString()) + " has more than "
                    + (MAX_PRECISION - scale) + " digits before the decimal point");
        }
        return result;
    }

    /** {@code value} when it lies within the field's minimum and maximum, else null and an error. */
    static <N extends Comparable<?>> @Nullable N checkRange(Field field, @Nullable N value, Problems p) {
        if (value == null) {
            return null;
        }
        BigDecimal v = new BigDecimal(value.toString());
        if (field.min() != null && v.compareTo(field.min()) < 0) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, v.toPlainString() + " is below the minimum "
                    + field.min().toPlainString());
        }
        if (field.max() != null && v.compareTo(field.max()) > 0) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, v.toPlainString() + " is above the maximum "
                    + field.max().toPlainString());
        }
        return value;
    }

    /** Numeric text (trimmed, not blank) as a decimal, refusing NaN, infinities and absurd lengths or exponents. */
    static @Nullable BigDecimal parseDecimal(String s, Problems p) {
        if (s.length() > 100) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, "a number of " + s.length() + " characters");
        }
        if (s.equalsIgnoreCase("nan") || s.toLowerCase(Locale.ROOT).contains("infinity")) {
            return p.fail(FieldErrorCode.NOT_A_NUMBER, "'" + Problems.abbreviate(s) + "' is not a finite number");
        }
        try {
            BigDecimal d = new BigDecimal(s);
            if (Math.abs((long) d.scale()) > 1000) {
                return p.fail(FieldErrorCode.OUT_OF_RANGE, "'" + Problems.abbreviate(s) + "' is out of range");
            }
            return d;
        } catch (NumberFormatException e) {
            return p.wrongType(s, "a number");
        }
    }

    /** A Java number as a decimal (floats by their shortest text, so 0.1 is 0.1); anything else a wrong type. */
    static @Nullable BigDecimal numberAsDecimal(Object raw, Problems p) {
        if (raw instanceof BigDecimal d) {
            if (Math.abs((long) d.scale()) > 1000) {
                return p.fail(FieldErrorCode.OUT_OF_RANGE, "number out of range");
            }
            return d;
        }
        if (raw instanceof BigInteger i) {
            return i.bitLength() > 256 ? p.fail(FieldErrorCode.OUT_OF_RANGE, "number out of range")
                    : new BigDecimal(i);
        }
        if (raw instanceof Double || raw instanceof Float) {
            double d = ((Number) raw).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return p.fail(FieldErrorCode.NOT_A_NUMBER, raw + " is not a finite number");
            }
            return new BigDecimal(raw.toString());
        }
        if (isWhole(raw)) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        return p.wrongType(raw, "a number");
    }

    /** Whether {@code raw} is a Java integral type that fits a long. */
    static boolean isWhole(Object raw) {
        return raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte;
    }
}
