package org.crmkit.query;

import java.util.Objects;

/**
 * One sort key. Empty values sort after all others ascending and before them descending (as if larger than
 * any value), on every storage. Text sorts by UTF-16 code units (binary), not by a locale's collation.
 */
public record Sort(String path, boolean descending) {
    public Sort {
        Objects.requireNonNull(path, "path");
    }

    public static Sort asc(String path) {
        return new Sort(path, false);
    }

    public static Sort desc(String path) {
        return new Sort(path, true);
    }
}
