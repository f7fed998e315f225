package org.crmkit.internal.value.codec;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A lookup to one record: its id, as a {@link UUID} or its 36-character text. */
final class ReferenceCodec extends ContextFreeCodec {
    @Override
    @Nullable
    UUID read(Object raw, Problems p) {
        return id(raw, p);
    }

    /** {@code raw} as a record id; null for blank text or after an error. */
    static @Nullable UUID id(Object raw, Problems p) {
        if (raw instanceof UUID u) {
            return u;
        }
        if (raw instanceof String s) {
            if (s.isBlank()) {
                return null;
            }
            try {
                if (s.length() == 36) {
                    return UUID.fromString(s);
                }
            } catch (IllegalArgumentException e) {
                // fall through
            }
        }
        return p.wrongType(raw, "a record id (UUID)");
    }
}
