package org.crmkit.storage.spi;

import java.util.List;
import java.util.Objects;
import org.crmkit.query.Filter;
import org.crmkit.query.Query;
import org.crmkit.query.Sort;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * A query as storages receive it: values already converted to the fields' Java types, paths checked and resolved
 * ({@link #paths()}: storages look every filter and sort path up there and never resolve one themselves), the
 * record id appended as the last ascending sort key, and the keyset position (one value per sort key, nulls
 * allowed) of the last row of the previous page.
 *
 * @param filter  the filter, with the caller's record scope already folded in
 * @param sorts   sort keys; the last one is always {@code id} ascending
 * @param limit   how many rows to return at most
 * @param after   keyset position to continue after, or null
 * @param deleted which records by deletion state
 * @param paths   every path of the filter and the sort keys, resolved
 */
public record StorageQuery(Filter filter, List<Sort> sorts, int limit, @Nullable List<@Nullable Object> after,
        Query.Deleted deleted, ResolvedPaths paths) {
    public StorageQuery {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(sorts, "sorts");
        Objects.requireNonNull(deleted, "deleted");
        Objects.requireNonNull(paths, "paths");
        sorts = List.copyOf(sorts);
        if (after != null) {
            after = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(after));
        }
    }

    /**
     * A query whose filter and sort paths are resolved on {@code objectType} with nothing hidden
     * ({@link ResolvedPaths#resolve}), for callers that build a query themselves rather than from a caller's query.
     */
    public static StorageQuery resolve(SchemaSnapshot schema, String objectType, Filter filter, List<Sort> sorts,
            int limit, @Nullable List<@Nullable Object> after, Query.Deleted deleted) {
        return new StorageQuery(filter, sorts, limit, after, deleted,
                ResolvedPaths.resolve(schema, objectType, filter, sorts));
    }
}
