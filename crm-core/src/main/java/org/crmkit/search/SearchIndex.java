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
     * Whether the index follows the change log, since when, its last failure (described without record data) and
     * how far it lags the log. While it is unhealthy searches and duplicate checks run through the storage; the
     * storage search (no engine) is always healthy. Reads the storage's last change-log position for the lag, so it
     * throws the storage's exception when the storage cannot be reached.
     */
    SearchIndexHealth health();

    /**
     * How many times the index made applied changes searchable and how long that took, since the {@code Crm}
     * started. Works on a closed {@code Crm} (the last figures). The default, and the storage search, has none.
     */
    default RefreshStats refreshStats() {
        return RefreshStats.NONE;
    }

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
