package org.crmkit.event;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a page of a record's timeline ({@link org.crmkit.RecordSet#timeline(java.util.UUID, TimelineQuery)}) holds:
 * the record's own changes only, or with those of its related records (the records that reference it, such as the
 * contacts, deals, activities and tasks of a company, and the records that reference those, such as the activities
 * of those contacts and deals; at most {@link #maxRelated()} related records, the nearest first, and the page says
 * when there were more); oldest or newest first; how many; and where to go on from. An immutable value:
 *
 * <pre>{@code
 * TimelinePage page = crm.as(user).records("company").timeline(acmeId, TimelineQuery.of().withRelated().newestFirst());
 * }</pre>
 *
 * @param includeRelated whether the changes of related records are included
 * @param descending     newest first (else oldest first, as {@link org.crmkit.RecordSet#timeline(java.util.UUID)})
 * @param limit          page size, 1 to {@value #MAX_LIMIT}
 * @param maxRelated     the most related records the roll-up covers, 1 to {@value #MAX_RELATED} (the nearest first;
 *                       {@link TimelinePage#relatedTruncated()} tells when a record has more)
 * @param after          the cursor of the previous page ({@link TimelinePage#nextCursor()}), or null for the first
 */
public record TimelineQuery(boolean includeRelated, boolean descending, int limit, int maxRelated,
        @Nullable String after) {
    /** The largest page. */
    public static final int MAX_LIMIT = 1_000;
    /** The page size of {@link #of()}. */
    public static final int DEFAULT_LIMIT = 100;
    /** The most related records a roll-up covers, and the default of {@link #maxRelated()}. */
    public static final int MAX_RELATED = 5_000;

    /** The record's own changes, oldest first, {@value #DEFAULT_LIMIT} a page. */
    public static TimelineQuery of() {
        return new TimelineQuery(false, false, DEFAULT_LIMIT, MAX_RELATED, null);
    }

    /** A copy that includes the changes of related records. */
    public TimelineQuery withRelated() {
        return new TimelineQuery(true, descending, limit, maxRelated, after);
    }

    /** A copy that lists the newest changes first. */
    public TimelineQuery newestFirst() {
        return new TimelineQuery(includeRelated, true, limit, maxRelated, after);
    }

    /** A copy with another page size (checked when the query runs). */
    public TimelineQuery limit(int limit) {
        return new TimelineQuery(includeRelated, descending, limit, maxRelated, after);
    }

    /**
     * A copy whose roll-up covers at most {@code maxRelated} related records, the nearest first (checked when the
     * query runs: 1 to {@value #MAX_RELATED}).
     */
    public TimelineQuery maxRelated(int maxRelated) {
        return new TimelineQuery(includeRelated, descending, limit, maxRelated, after);
    }

    /** A copy that continues after the page whose {@link TimelinePage#nextCursor()} is {@code cursor}. */
    public TimelineQuery after(String cursor) {
        return new TimelineQuery(includeRelated, descending, limit, maxRelated,
                Objects.requireNonNull(cursor, "cursor"));
    }
}
