package org.crmkit.internal.value.codec;

import org.crmkit.schema.Field;
import org.jspecify.annotations.Nullable;

/** A codec for a type whose values read the same in writes and in filters, whatever the field's settings. */
abstract class ContextFreeCodec implements FieldCodec {
    /** {@code raw} as the canonical value; null for blank text or after adding an error. */
    abstract @Nullable Object read(Object raw, Problems p);

    @Override
    public final @Nullable Object write(Field field, Object raw, Problems p) {
        return read(raw, p);
    }

    @Override
    public final @Nullable Object filter(String path, @Nullable Field field, Object raw, Problems p) {
        return read(raw, p);
    }
}
