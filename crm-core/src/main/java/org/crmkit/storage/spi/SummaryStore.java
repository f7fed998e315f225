package org.crmkit.storage.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The rows of pre-computed report summaries: an optional extension of a storage
 * ({@code storage.extension(SummaryStore.class)}, feature-tested by the engine). A summary is a header (an opaque
 * text the engine keeps its state in) and rows, each an opaque text under a key of at most {@value #MAX_KEY}
 * characters. The engine does the arithmetic; the storage keeps the texts, in the transaction it is given, and
 * serialises the writers of one summary across nodes with {@link #lock}.
 *
 * <p>The engine also keeps the exact totals of count and sum roll-up fields here, under summaries named
 * {@code rollup:<parent type>} that have rows but no header (report names cannot hold a colon): rows may be written
 * to a summary without a header, and {@link #read} gives only summaries that have one.
 */
public interface SummaryStore {
    /** Longest row key. */
    int MAX_KEY = 64;

    /**
     * Creates the summary with {@code header} and no rows, or when it exists deletes its rows and sets its header, in
     * {@code transaction}. The header of an existing summary is changed in place, never deleted and created again:
     * a transaction waiting in {@link #lock} must find it once the lock is released.
     */
    void reset(StorageTransaction transaction, String summary, String header);

    /**
     * Locks the summary until {@code transaction} ends (exclusively: a second transaction locking it waits), and
     * returns its header as now committed, or empty when there is no such summary (then nothing is locked). Every
     * writer of a summary locks it first, so rows read after the lock are the latest committed ones.
     */
    Optional<String> lock(StorageTransaction transaction, String summary);

    /** The rows with these keys, as {@code transaction} sees them; absent keys are left out. */
    Map<String, String> rows(StorageTransaction transaction, String summary, Collection<String> keys);

    /** Writes rows in {@code transaction}: inserts or replaces each one; a null text deletes the row. */
    void write(StorageTransaction transaction, String summary, Map<String, @Nullable String> rows);

    /** Writes the header in {@code transaction}. */
    void writeHeader(StorageTransaction transaction, String summary, String header);

    /** Deletes the summary and its rows in {@code transaction}. */
    void drop(StorageTransaction transaction, String summary);

    /** The summary as committed: its header and every row by key, or empty when there is none. */
    Optional<Stored> read(String summary);

    /**
     * A committed summary.
     *
     * @param header the header text
     * @param rows   row texts by key
     */
    record Stored(String header, Map<String, String> rows) {
        public Stored {
            java.util.Objects.requireNonNull(header, "header");
            rows = Map.copyOf(rows);
        }
    }
}
