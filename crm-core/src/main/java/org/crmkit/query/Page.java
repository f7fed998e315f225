package org.crmkit.query;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of results and, when more may follow, the cursor to fetch the next.
 *
 * @param items      the results in order
 * @param nextCursor opaque cursor for {@link Query#after(String)}, or null on the last page
 * @param query      the query that produced this page
 */
public record Page<T>(List<T> items, @Nullable String nextCursor, Query query) {
    public Page {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(query, "query");
        items = List.copyOf(items);
    }

    public boolean hasNext() {
        return nextCursor != null;
    }

    /** The query for the next page, if there is one. */
    public Optional<Query> nextQuery() {
        return nextCursor == null ? Optional.empty() : Optional.of(query.after(nextCursor));
    }
}
