package org.crmkit.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to fetch: a filter, sort keys, a page size and the cursor of the previous page. Pages are keyset pages:
 * stable under concurrent inserts, no offset. The record id is always the last sort key. Filters and sort keys
 * cannot name formula fields (computed when read, not stored): a {@link org.crmkit.error.ValidationException}
 * naming the path refuses them.
 *
 * <pre>{@code
 * Page<Record> first = deals.query(Query.where(where("stage").eq("proposal")).orderBy(Sort.desc("amount")).limit(50));
 * Page<Record> next  = deals.query(first.nextQuery().orElseThrow());
 * }</pre>
 *
 * @param filter     which records
 * @param sorts      sort keys, most significant first
 * @param limit      page size, 1 to {@value #MAX_LIMIT}
 * @param after      the cursor of the previous page ({@link Page#nextCursor()}), or null for the first
 * @param deleted    whether live, soft-deleted or all records are included
 */
public record Query(Filter filter, List<Sort> sorts, int limit, @Nullable String after, Deleted deleted) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    /** Which records by deletion state. */
    public enum Deleted {
        EXCLUDE, ONLY, INCLUDE
    }

    public Query {
        Objects.requireNonNull(sorts, "sorts");
        Objects.requireNonNull(filter, "filter");
        sorts = List.copyOf(sorts);
        Objects.requireNonNull(deleted, "deleted");
    }

    public static Query all() {
        return new Query(Filter.ALL, List.of(), DEFAULT_LIMIT, null, Deleted.EXCLUDE);
    }

    public static Query where(Filter filter) {
        return new Query(filter, List.of(), DEFAULT_LIMIT, null, Deleted.EXCLUDE);
    }

    public Query orderBy(Sort... keys) {
        List<Sort> all = new ArrayList<>(sorts);
        all.addAll(List.of(keys));
        return new Query(filter, all, limit, after, deleted);
    }

    public Query limit(int pageSize) {
        return new Query(filter, sorts, pageSize, after, deleted);
    }

    public Query after(@Nullable String cursor) {
        return new Query(filter, sorts, limit, cursor, deleted);
    }

    public Query deleted(Deleted which) {
        return new Query(filter, sorts, limit, after, which);
    }
}
