package org.crmkit.search;

import java.time.Duration;
import java.util.Objects;
import org.crmkit.annotations.Incubating;

/**
 * How often the search index made applied changes searchable, and how long that took in all, since the {@code Crm}
 * started ({@link SearchIndex#refreshStats()}): a meter library derives the mean and rate of refreshes from it.
 *
 * @param refreshes how many refreshes ran
 * @param totalTime their time added up
 */
@Incubating
public record RefreshStats(long refreshes, Duration totalTime) {
    /** No refresh yet, or an index that has none to make (the storage search). */
    public static final RefreshStats NONE = new RefreshStats(0, Duration.ZERO);

    public RefreshStats {
        Objects.requireNonNull(totalTime, "totalTime");
        if (refreshes < 0 || totalTime.isNegative()) {
            throw new IllegalArgumentException("refreshes and total time must be zero or more");
        }
    }
}
