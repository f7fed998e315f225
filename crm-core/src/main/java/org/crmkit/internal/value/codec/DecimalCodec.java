package org.crmkit.internal.value.codec;

import java.math.BigDecimal;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Decimals and percents: exact, at the field's scale (more digits is an error, never a rounding), in range. */
final class DecimalCodec implements FieldCodec {
    @Override
    public @Nullable BigDecimal write(Field field, Object raw, Problems p) {
        return Numbers.checkRange(field, Numbers.scaled(field.scale(), raw, p), p);
    }

    @Override
    public @Nullable BigDecimal filter(String path, @Nullable Field field, Object raw, Problems p) {
        return Numbers.read(raw, p);
    }
}
