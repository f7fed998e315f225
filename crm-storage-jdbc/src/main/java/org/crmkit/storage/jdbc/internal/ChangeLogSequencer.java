package org.crmkit.storage.jdbc.internal;

import java.util.List;
import org.crmkit.event.ChangeLogEntry;
import org.jooq.DSLContext;
import org.jooq.Record1;
import org.jooq.ResultQuery;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;

/**
 * Hands out the change log's sequences to committing transactions, and tells readers how far the log is final: up
 * to where no transaction still committing holds a sequence. Readers never pass an entry still being committed, so
 * a consumer that pages through the log by sequence (the search index, a change feed, another node) misses nothing.
 * Two ways, chosen per database ({@link DatabaseStrategy#changeLogSequencer}):
 * <ul>
 * <li>{@link LockRowSequencer}: a counter in the {@code change_log} lock row, held until commit, so sequences
 * follow commit order and everything visible is final; writers take turns from their change-log write to their
 * commit (H2, MariaDB).
 * <li>{@link ConcurrentSequencer}: a database sequence under a shared lock, so writers commit side by side; a reader
 * that meets a gap waits, once, for the writers that were committing (PostgreSQL).
 * </ul>
 */
interface ChangeLogSequencer {
    /**
     * Takes {@code n} consecutive sequences for the transaction of {@code tx}, at its commit; returns the last.
     * {@code chained} when the entries are sealed: their sequences must follow the newest committed entry without
     * a gap, since each seal links to the one before.
     */
    long take(DSLContext tx, int n, boolean chained);

    /**
     * A query that takes {@code n} consecutive sequences once {@code wrote} has returned its row, and none when it
     * returns none, giving the last as its one column: for PostgreSQL's one-statement update
     * ({@link ChangeLogWriter#writeWithSoleUpdate()}), where {@code wrote} is the record's UPDATE, so that the
     * record's row is locked before the sequence is taken, as on the general path. Null when this sequencer cannot
     * take {@code n} in one query.
     */
    @Nullable
    ResultQuery<? extends Record1<Long>> takeAfter(DSLContext tx, int n, Table<?> wrote);

    /**
     * The final part of {@code page}, entries read in sequence order after {@code afterSequence} (itself final): as
     * far as the sequencer knows that no sequence still being committed comes before an entry. May stop short at a
     * gap: then {@link #awaitCommitting} and a fresh read tell more.
     */
    List<ChangeLogEntry> finalPart(List<ChangeLogEntry> page, long afterSequence);

    /** Waits until the transactions committing now have ended, so that a fresh read's gaps below them are final. */
    void awaitCommitting(JdbcStore store);

    /** The newest final sequence that has an entry, or 0: what {@code Storage.lastSequence()} answers. */
    long lastFinal(JdbcStore store);

    /** After a restore wrote the log again: the next sequence handed out follows {@code last}. */
    void restart(DSLContext dsl, long last);
}
