package org.crmkit.event;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a page of a record's timeline ({@link org.crmkit.RecordSet#timeline(java.util.UUID, TimelineQuery)}) holds:
 * the record's own changes only, or with those of its related records (the records that reference it, such as the
 * contacts, deals, activities and tasks of a company, and the records that reference those, such as the activities
 * of those contacts and deals; at most 5,000 related records, the nearest first); oldest or newest first; how many;
 * and where to go on from. An immutable value:
 *
 * <pre>{@code
 * TimelinePage page = crm.as(user).records("company").timeline(acmeId, TimelineQuery.of().withRelated().newestFirst());
 * }</pre>
 *
 * @param includeRelated whether the changes of related records are included
 * @param descending     newest first (else oldest first, as {@link org.crmkit.RecordSet#timeline(java.util.UUID)})
 * @param limit          page size, 1 to {@value #MAX_LIMIT}
 * @param after          the cursor of the previous page ({@link TimelinePage#nextCursor()}), or null for the first
 */
public record TimelineQuery(boolean includeRelated, boolean descending, int limit, @Nullable String after) {
    /** The largest page. */
    public static final int MAX_LIMIT = 1_000;
    /** The page size of {@link #of()}. */
    public static final int DEFAULT_LIMIT = 100;

    /** The record's own changes, oldest first, {@value #DEFAULT_LIMIT} a page. */
    public static TimelineQuery of() {
        return new TimelineQuery(false, false, DEFAULT_LIMIT, null);
    }

    /** A copy that includes the changes of related records. */
    public TimelineQuery withRelated() {
        return new TimelineQuery(true, descending, limit, after);
    }

    /** A copy that lists the newest changes first. */
    public TimelineQuery newestFirst() {
        return new TimelineQuery(includeRelated, true, limit, after);
    }

    /** A copy with another page size (checked when the query runs). */
    public TimelineQuery limit(int limit) {
        return new TimelineQuery(includeRelated, descending, limit, after);
    }

    /** A copy that continues after the page whose {@link TimelinePage#nextCursor()} is {@code cursor}. */
    public TimelineQuery after(String cursor) {
        return new TimelineQuery(includeRelated, descending, limit, Objects.requireNonNull(cursor, "cursor"));
    }
}
