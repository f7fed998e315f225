package org.crmkit.report;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One grouping of a report: a field path of the report's type ({@code stage}, {@code owner}), or a date or
 * datetime field cut into buckets ({@code close_date} by {@link DateBucket#MONTH}).
 *
 * @param path   a path of the report's type itself
 * @param bucket how a date groups, or null for the value itself
 */
public record Grouping(String path, @Nullable DateBucket bucket) {
    public Grouping {
        Objects.requireNonNull(path, "path");
    }

    /** Groups by the value of {@code path}. */
    public static Grouping by(String path) {
        return new Grouping(path, null);
    }

    /** Groups a date or datetime by {@code bucket}. */
    public static Grouping by(String path, DateBucket bucket) {
        Objects.requireNonNull(bucket, "bucket");
        return new Grouping(path, bucket);
    }
}
