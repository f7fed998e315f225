package org.crmkit.internal.vcard;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Picks the preferred of several vCard values: lowest PREF, then TYPE=pref, then a favoured type, then the first. */
final class Preferred {
    private Preferred() {}

    static <T> @Nullable T choose(List<T> values, Function<T, @Nullable Integer> pref, Predicate<T> prefType,
            Predicate<T> favoured) {
        return values.stream()
                .min(Comparator.<T>comparingInt(v -> {
                    Integer p = pref.apply(v);
                    return p == null ? Integer.MAX_VALUE : p;
                }).thenComparing(v -> !prefType.test(v)).thenComparing(v -> !favoured.test(v)))
                .orElse(null);
    }
}
