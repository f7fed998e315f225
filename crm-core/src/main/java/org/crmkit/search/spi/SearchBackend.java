package org.crmkit.search.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.crmkit.search.RebuildProgress;
import org.crmkit.search.SearchIndexHealth;

/**
 * A search engine plugged into a {@code Crm}. The engine calls {@link #start} once while the {@code Crm} is built,
 * then {@link #search} from any thread; it closes the backend when the {@code Crm} closes. A backend keeps its index
 * in step with the change log ({@link SearchContext#storage()}), and applies in each {@link SearchRequest} the
 * access the engine decided ({@link TypeScope}) to every part of a hit: only the listed types, only records matching
 * each type's filter (which carries the caller's record scope), only the listed fields matched and highlighted, the
 * title made of the listed name fields, a referenced record's name matched, highlighted and scored only when the
 * referenced record is inside the reference's scope; totals count nothing else. A backend is an internal class of
 * its module, installed by its public handle ({@link org.crmkit.CrmSearch}) through
 * {@link org.crmkit.plugin.spi.CrmPlugin#install}.
 */
public interface SearchBackend extends AutoCloseable {
    /** Short name for messages ("lucene", ...). */
    String name();

    /** Opens the index and starts following the change log. */
    void start(SearchContext context);

    SearchResponse search(SearchRequest request);

    /**
     * The candidates of a duplicate check ({@link CandidateRequest}), ids only: one query of the probe's values,
     * nothing rendered. Empty (the default) when the backend has no such query; the engine then finds candidates
     * through {@link #search} of the probe's names and values, one search each, which is slower.
     */
    default Optional<List<UUID>> candidates(CandidateRequest request) {
        return Optional.empty();
    }

    /** The change-log sequence up to which every change is searchable. */
    long appliedSequence();

    /**
     * How the index is doing ({@link SearchIndexHealth}), {@code lastSequence} being the storage's last change-log
     * sequence (for the lag). While it reports unhealthy, the engine searches and finds duplicate candidates through
     * the storage instead, with the same access applied. The default, for a backend whose index cannot fail apart
     * from the storage, is healthy since {@code started} (when the {@code Crm} started it).
     */
    default SearchIndexHealth health(Instant started, long lastSequence) {
        long applied = appliedSequence();
        return SearchIndexHealth.healthy(started, applied, Math.max(0, lastSequence - applied));
    }

    /** {@link org.crmkit.search.SearchIndex#refreshStats()}; the default, for an index without refreshes, has none. */
    default org.crmkit.search.RefreshStats refreshStats() {
        return org.crmkit.search.RefreshStats.NONE;
    }

    /** Waits until {@link #appliedSequence()} reaches {@code sequence}; false if {@code timeout} passes first. */
    boolean awaitSequence(long sequence, Duration timeout);

    /**
     * Waits until {@link #appliedSequence()} reaches {@code sequence} (at most {@code timeout}), then rewrites the
     * index so that no file of it keeps anything of the documents deleted so far (Lucene keeps deleted documents'
     * terms and stored values in its segment files until they are merged away), and makes that durable. Privacy
     * erasures call it after purging. Returns false when {@code timeout} passed first. The default, for backends
     * that keep nothing of a deleted document, returns {@code awaitSequence(sequence, timeout)}.
     */
    default boolean expungeDeleted(long sequence, Duration timeout) {
        return awaitSequence(sequence, timeout);
    }

    /** Rebuilds the index from the storage, reporting progress; returns when done. */
    void rebuild(Consumer<RebuildProgress> progress);

    /** Stops the backend's threads and closes the index; called once, when the {@code Crm} closes. */
    @Override
    void close();
}
