package org.crmkit.internal.value.codec;

import org.crmkit.error.FieldErrorCode;
import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** Formula fields: computed by the engine, never written; a formula path is not a filter value of its own. */
final class FormulaCodec implements FieldCodec {
    @Override
    public @Nullable Object write(Field field, Object raw, Problems p) {
        return p.fail(FieldErrorCode.READ_ONLY, "formula fields are computed, not written");
    }

    @Override
    public @Nullable Object filter(String path, @Nullable Field field, Object raw, Problems p) {
        return p.fail(FieldErrorCode.UNSUPPORTED_OPERATION, "cannot compare " + path);
    }
}
