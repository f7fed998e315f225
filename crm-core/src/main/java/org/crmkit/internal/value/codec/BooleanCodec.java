package org.crmkit.internal.value.codec;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Booleans, or the text {@code true}/{@code false} in any case. */
final class BooleanCodec extends ContextFreeCodec {
    @Override
    @Nullable
    Boolean read(Object raw, Problems p) {
        if (raw instanceof Boolean b) {
            return b;
        }
        if (raw instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                return null;
            }
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
        }
        return p.wrongType(raw, "true or false");
    }
}
