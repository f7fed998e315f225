package org.crmkit.search;

import java.time.Duration;
import java.util.function.Consumer;
import org.crmkit.annotations.Incubating;

/**
 * The search index of a {@code Crm} (through {@code crm.admin().searchIndex()}). A search engine follows the change
 * log: a committed change becomes searchable shortly after its commit (within a fraction of a second on the
 * committing node; other nodes pick it up when they next read the log).
 */
@Incubating
public interface SearchIndex {
    /** What searches ({@code lucene}, or {@code storage} when no engine was configured). */
    String engine();

    /** The change-log sequence up to which every change is searchable. */
    long appliedSequence();

    /**
     * Waits until every change committed before this call is searchable; returns false when {@code timeout}
     * passes first. Without a search engine it returns true at once.
     */
    boolean awaitUpToDate(Duration timeout);

    /**
     * Rebuilds the whole index from the storage, reporting progress; returns when done. Searches keep working
     * meanwhile and see the records indexed so far. Without a search engine there is nothing to rebuild.
     */
    void rebuild(Consumer<RebuildProgress> progress);
}
