package org.crmkit.search;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.crmkit.annotations.Incubating;
import org.jspecify.annotations.Nullable;

/**
 * Whether the search index follows the change log, from {@code crm.admin().searchIndex().health()}. An index is
 * unhealthy while its last attempt to apply the change log failed (the disk is full, the index files cannot be
 * written); it keeps its place in the log and retries, and is healthy again once it applies the log. While it is
 * unhealthy, searches and duplicate checks run through the storage (always up to date, no typo tolerance). The
 * storage search (no engine configured) is always healthy.
 *
 * @param healthy         whether the index is following the change log
 * @param since           when it became healthy or unhealthy (or started)
 * @param appliedSequence the change-log sequence up to which every change is searchable
 * @param lag             change-log entries committed after {@code appliedSequence}: not yet searchable
 * @param lastFailure     the most recent failure, kept after recovery; null if there was none
 */
@Incubating
public record SearchIndexHealth(boolean healthy, Instant since, long appliedSequence, long lag,
        @Nullable Failure lastFailure) {
    public SearchIndexHealth {
        Objects.requireNonNull(since, "since");
        if (lag < 0) {
            throw new IllegalArgumentException("lag must be zero or more, not " + lag);
        }
    }

    /** A healthy index since {@code since} that never failed. */
    public static SearchIndexHealth healthy(Instant since, long appliedSequence, long lag) {
        return new SearchIndexHealth(true, since, appliedSequence, lag, null);
    }

    /** {@link #lastFailure()}, if there was one. */
    public Optional<Failure> failure() {
        return Optional.ofNullable(lastFailure);
    }

    /**
     * A failure of the index, described without any record data: safe to log and to show to an operator.
     *
     * @param at        when it happened
     * @param exception the exception's class name ({@code java.io.IOException}, ...)
     * @param message   what failed, in a fixed phrase that carries no field value
     */
    @Incubating
    public record Failure(Instant at, String exception, String message) {
        public Failure {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(exception, "exception");
            Objects.requireNonNull(message, "message");
        }
    }
}
