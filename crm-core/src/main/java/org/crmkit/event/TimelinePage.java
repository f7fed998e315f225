package org.crmkit.event;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of a record's timeline ({@link org.crmkit.RecordSet#timeline(java.util.UUID, TimelineQuery)}).
 *
 * @param entries    the change-log entries in the query's order, each as the caller may see it ({@link #entries()}
 *                   of several records when the query includes related ones: tell them apart by
 *                   {@link ChangeLogEntry#objectType()} and {@link ChangeLogEntry#recordId()})
 * @param nextCursor the cursor of the next page, or null on the last
 * @param relatedTruncated whether the record has more related records (that the caller may know) than the query's
 *                   {@link TimelineQuery#maxRelated()}: the roll-up then covers the nearest of them only
 * @param query      the query that produced this page
 */
public record TimelinePage(List<ChangeLogEntry> entries, @Nullable String nextCursor, boolean relatedTruncated,
        TimelineQuery query) {
    public TimelinePage {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(query, "query");
        entries = List.copyOf(entries);
    }

    /** The query of the next page, if there is one. */
    public Optional<TimelineQuery> nextQuery() {
        return nextCursor == null ? Optional.empty() : Optional.of(query.after(nextCursor));
    }
}
