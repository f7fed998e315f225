package org.crmkit.search.lucene.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.apache.lucene.store.AlreadyClosedException;
import org.crmkit.error.CrmException;
import org.crmkit.search.SearchIndexHealth;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the index follows the change log: unhealthy from a failed write until the next one that succeeds.
 * Written by the indexer thread only, read from any thread. A failure is kept as its exception's class and a
 * fixed phrase chosen by its kind, never its message, which may quote a value (the full exception goes to the log).
 */
final class IndexHealth {
    private static final Logger LOG = LoggerFactory.getLogger(IndexHealth.class);

    private record State(boolean healthy, Instant since, SearchIndexHealth.@Nullable Failure last) {}

    private final Clock clock;
    private volatile State state;

    IndexHealth(Clock clock) {
        this.clock = clock;
        this.state = new State(true, clock.instant(), null);
    }

    boolean healthy() {
        return state.healthy();
    }

    /** A round or task wrote what it had to: healthy (again). */
    void succeeded() {
        State s = state;
        if (!s.healthy()) {
            state = new State(true, clock.instant(), s.last());
            LOG.info("search index healthy again: it follows the change log");
        }
    }

    /** A round or task failed with {@code e}: unhealthy (since the first failure of a run of them). */
    void failed(Throwable e) {
        Instant now = clock.instant();
        State s = state;
        state = new State(false, s.healthy() ? now : s.since(),
                new SearchIndexHealth.Failure(now, e.getClass().getName(), describe(e)));
    }

    /** The report, with the position searches see and how far that lags the log. */
    SearchIndexHealth report(long appliedSequence, long lag) {
        State s = state;
        return new SearchIndexHealth(s.healthy(), s.since(), appliedSequence, Math.max(0, lag), s.last());
    }

    /** A phrase for the kind of failure, with nothing of its message. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof IOException && (m.contains("no space left") || m.contains("disk full")
                    || m.contains("not enough space"))) {
                return "the disk is full: the index cannot be written";
            }
        }
        if (e instanceof CrmException) {
            return "the change log or the records to index could not be read from the storage";
        }
        if (e instanceof AlreadyClosedException) {
            return "the index writer was closed by an earlier failure";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return "the index files could not be written or read";
            }
        }
        return "indexing failed";
    }
}
