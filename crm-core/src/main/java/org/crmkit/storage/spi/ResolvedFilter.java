package org.crmkit.storage.spi;

import java.util.List;
import java.util.Objects;
import org.crmkit.query.Filter;
import org.crmkit.schema.SchemaSnapshot;

/**
 * A filter as {@link StorageTransaction#count} and {@link StorageTransaction#aggregate} receive it: checked, with
 * the caller's record scope folded in, and every path it names (for an aggregate, also every group key and metric
 * field) already resolved in {@link #paths()}.
 *
 * @param filter the filter
 * @param paths  its paths, and the group and metric paths of an aggregate
 */
public record ResolvedFilter(Filter filter, ResolvedPaths paths) {
    /** Every record, no paths. */
    public static final ResolvedFilter ALL = new ResolvedFilter(Filter.ALL, ResolvedPaths.NONE);

    public ResolvedFilter {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(paths, "paths");
    }

    /**
     * The filter with its paths (and {@code others}) resolved on {@code objectType} with nothing hidden
     * ({@link ResolvedPaths#resolve}), for callers that build a filter themselves rather than from a caller's query.
     */
    public static ResolvedFilter resolve(SchemaSnapshot schema, String objectType, Filter filter, String... others) {
        return new ResolvedFilter(filter, ResolvedPaths.resolve(schema, objectType, filter, List.of(), others));
    }
}
