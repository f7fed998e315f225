package org.crmkit.internal.value.codec;

import java.math.BigDecimal;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Whole numbers in any form ({@code 42}, {@code "1e2"}, {@code 5.000}) as a {@link Long}. */
final class IntegerCodec implements FieldCodec {
    @Override
    public @Nullable Long write(Field field, Object raw, Problems p) {
        return Numbers.checkRange(field, read(raw, p), p);
    }

    @Override
    public @Nullable Long filter(String path, @Nullable Field field, Object raw, Problems p) {
        return read(raw, p);
    }

    private static @Nullable Long read(Object raw, Problems p) {
        if (Numbers.isWhole(raw)) {
            return ((Number) raw).longValue();
        }
        BigDecimal d = Numbers.read(raw, p);
        if (d == null) {
            return null;
        }
        try {
            return d.stripTrailingZeros().scale() > 0 ? p.wrongType(raw, "a whole number") : d.longValueExact();
        } catch (ArithmeticException e) {
            return p.fail(FieldErrorCode.OUT_OF_RANGE, Problems.abbreviate(d.toPlainString())
                    + " does not fit a 64-bit integer");
        }
    }
}
