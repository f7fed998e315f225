package org.crmkit.storage.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one ordering of field values every storage must reproduce: numbers by value (ignoring scale), text by
 * UTF-16 code units, dates and instants chronologically, booleans false before true, UUIDs by their unsigned
 * bytes (the order of PostgreSQL's uuid and of the canonical text form), empty values after all others.
 */
public final class ValueOrder {
    private ValueOrder() {}

    /** Compares two non-null values of the same field. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a instanceof java.util.UUID x && b instanceof java.util.UUID y) {
            return x.toString().compareTo(y.toString());
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof java.math.BigDecimal x && b instanceof java.math.BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString()));
        }
        return ((Comparable) a).compareTo(b);
    }

    /** Compares with empty values last (greater than any value). */
    public static int compareNullsLast(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return compare(a, b);
    }

    /** Whether two non-null values are equal in this ordering (so 1.0 equals 1.00). */
    public static boolean same(Object a, Object b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return compare(a, b) == 0;
    }

    /** Lexicographic order of two keys, each element with empty last; {@code descending} flags per element. */
    public static int compareKeys(List<@Nullable Object> a, List<@Nullable Object> b, List<Boolean> descending) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(descending, "descending");
        for (int i = 0; i < a.size(); i++) {
            int c = compareNullsLast(a.get(i), b.get(i));
            if (c != 0) {
                return descending.get(i) ? -c : c;
            }
        }
        return 0;
    }

    public static Comparator<@Nullable Object> nullsLast() {
        return ValueOrder::compareNullsLast;
    }
}
