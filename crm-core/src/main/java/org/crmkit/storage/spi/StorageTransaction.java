package org.crmkit.storage.spi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * One storage transaction. It sees its own writes; other transactions see them only after {@link #commit()};
 * {@link #rollback()} (or {@link #close()} without commit) leaves nothing behind. Records are stored whole, as
 * {@link Record} values holding every field (access control is the service layer's).
 */
public interface StorageTransaction extends AutoCloseable {
    /**
     * Applies a schema change (DDL and metadata) and records it. {@code next.version()} is one more than the
     * version this transaction read; if another change got there first the storage throws
     * {@link org.crmkit.error.SchemaException} with {@code CONCURRENT_CHANGE}.
     */
    void applySchemaChange(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry);

    /**
     * The schema version this transaction reads and writes with: the newest committed version when it started. A
     * storage shared by several nodes checks it when the transaction starts (another node may have changed the
     * schema) and works with that schema, so that the service can reload its own copy before using it; the
     * service calls this first, before any other method. The default, 0, says the storage does not tell (the
     * service then never reloads).
     *
     * <p>A change committed while the transaction runs can still make one of its statements fail (a column that
     * is gone), or make its written values name a field that no longer exists: the storage then throws
     * {@link org.crmkit.error.SchemaException} with {@code CONCURRENT_CHANGE} (retry the transaction), and commits
     * nothing of it.
     */
    default long schemaVersion() {
        return 0;
    }

    /** The record, soft-deleted or not, as this transaction sees it. */
    Optional<Record> find(String objectType, UUID id);

    /**
     * Inserts a new record (version 1). A value that repeats another record's value of a unique field fails with
     * {@link org.crmkit.error.ValidationException} ({@code NOT_UNIQUE} on that field).
     */
    void insert(Record record);

    /**
     * Inserts many new records exactly as {@link #insert} would, one after the other; SQL storages send them as
     * JDBC batches. When one fails (a unique value taken, say) the exception is the one {@link #insert} throws and
     * the transaction must be rolled back: which records of the batch were written is unspecified.
     */
    default void insertAll(java.util.List<Record> records) {
        for (Record r : records) {
            insert(r);
        }
    }

    /**
     * The rows of one import that earlier transactions committed (and this one recorded): row number to the id of
     * the record created from it. Used to make re-running an import create no duplicates. Only rows recorded under
     * exactly this key count: another principal's or another type's import of the same id is another import.
     * Optional ({@link StorageFeature#IMPORT_LEDGER}): the default throws {@link StorageFeature#refused()}.
     */
    default java.util.Map<Long, UUID> importedRows(ImportKey key) {
        throw StorageFeature.IMPORT_LEDGER.refused();
    }

    /**
     * The rows numbered {@code fromRow} to {@code toRow} (both included) of {@link #importedRows(ImportKey)}: what the
     * importer reads per batch, so that resuming a long import holds one batch of the ledger, not all of it. The
     * default filters {@link #importedRows(ImportKey)}; a storage should read the range alone.
     */
    default java.util.Map<Long, UUID> importedRows(ImportKey key, long fromRow, long toRow) {
        java.util.Map<Long, UUID> out = new java.util.HashMap<>();
        importedRows(key).forEach((row, id) -> {
            if (row >= fromRow && row <= toRow) {
                out.put(row, id);
            }
        });
        return out;
    }

    /**
     * Records, with this transaction, that these rows of an import created these records. A row another
     * transaction already recorded under the same key makes this call or the commit fail with
     * {@link org.crmkit.error.ConflictException} (the importer then re-reads {@link #importedRows} and skips it).
     * Optional ({@link StorageFeature#IMPORT_LEDGER}): the default throws {@link StorageFeature#refused()}.
     */
    default void recordImported(ImportKey key, java.util.Map<Long, UUID> rows) {
        throw StorageFeature.IMPORT_LEDGER.refused();
    }

    /**
     * Records, with this transaction, that the record {@code id} of {@code objectType} was merged into the record
     * {@code survivorId} of the same type (null: removes the link, as when the record is restored). Storing a link
     * again replaces it. The link is kept while the record is; {@link #purge} of the record removes it. Optional
     * ({@link StorageFeature#MERGE_LINKS}): the default throws {@link StorageFeature#refused()}.
     */
    default void linkMerged(String objectType, UUID id, @Nullable UUID survivorId) {
        throw StorageFeature.MERGE_LINKS.refused();
    }

    /**
     * The record that the record {@code id} of {@code objectType} was merged into, as this transaction sees it (its
     * own {@link #linkMerged} calls included), or empty. Optional ({@link StorageFeature#MERGE_LINKS}): the default
     * throws {@link StorageFeature#refused()}.
     */
    default Optional<UUID> mergedInto(String objectType, UUID id) {
        throw StorageFeature.MERGE_LINKS.refused();
    }

    /**
     * Replaces a record whose stored version is {@code expectedVersion}; otherwise throws
     * {@link org.crmkit.error.ConflictException} (and {@link org.crmkit.error.NotFoundException} if it is gone).
     * Unique values are checked as on insert.
     */
    void update(Record record, long expectedVersion);

    /**
     * {@link #update(Record, long)} at {@code before.version()}, where {@code before} is the stored state at that
     * version (as the service read it), so that a storage may write only what changed. The version check is the
     * same: if the stored record is no longer at that version, this or the commit fails with
     * {@link org.crmkit.error.ConflictException}.
     */
    default void update(Record record, Record before) {
        update(record, before.version());
    }

    /**
     * Locks these records of {@code objectType} against other transactions' {@code lockForUpdate} until this
     * transaction ends, and returns their state once locked, in no particular order (records that do not exist are
     * left out): this transaction's own writes included, and otherwise the newest committed state, so that every
     * change another locker committed before this call returned is seen, by this call and by every later read of
     * this transaction (a SQL storage's {@code SELECT ... FOR UPDATE} at READ COMMITTED). A storage takes the locks
     * of one call in one order, so two transactions whose calls name the same records do not deadlock. The roll-up
     * fields lock their parents this way before they recompute them. Optional ({@link StorageFeature#ROW_LOCKS}):
     * the default throws {@link StorageFeature#refused()}.
     */
    default List<Record> lockForUpdate(String objectType, java.util.Collection<UUID> ids) {
        throw StorageFeature.ROW_LOCKS.refused();
    }

    /** Removes a record for good, under the same version check as {@link #update}. */
    void purge(String objectType, UUID id, long expectedVersion);

    /**
     * The records matching the query, in its order, at most {@code query.limit()} of them. Paths are looked up in
     * {@link StorageQuery#paths()}, never resolved again.
     */
    List<Record> query(String objectType, StorageQuery query);

    /** How many records match the filter (its paths looked up in {@link ResolvedFilter#paths()}). */
    long count(String objectType, ResolvedFilter filter, Query.Deleted deleted);

    /**
     * Groups matching live (not soft-deleted) records by the paths and computes the metrics (the paths of the
     * filter, the group keys and the metric fields are all looked up in {@link ResolvedFilter#paths()});
     * {@link Metric.Function#AVG} is never asked (the service derives it from sum and count); {@code count(field)} counts non-empty values. Sums of
     * integers are {@link Long}, of other numbers {@link java.math.BigDecimal}; a metric over no values is
     * null. Rows come ordered by their group values, empty last. Optional ({@link StorageFeature#AGGREGATES}): the
     * default throws {@link StorageFeature#refused()}.
     */
    default List<AggregateRow> aggregate(String objectType, ResolvedFilter filter, List<String> groupBy,
            List<Metric> metrics) {
        throw StorageFeature.AGGREGATES.refused();
    }

    /** Stages a change-log entry (its sequence is ignored); it is written with the commit. */
    void appendChange(ChangeLogEntry entry);

    /**
     * Stages a change-log entry with its seal: at commit the storage takes the entry's sequence, asks
     * {@code sealing} for its link with the link of the previous sequence's seal, and writes the {@link ChangeSeal}
     * with the entry, both under the lock that orders sequences. Only called on storages that offer
     * {@link ChangeLogSeals}; the default refuses.
     */
    default void appendChange(ChangeLogEntry entry, ChangeSealing sealing) {
        throw new UnsupportedOperationException("this storage keeps no change-log seals (ChangeLogSeals)");
    }

    /**
     * Asks the storage to tell {@code sequencing} when this transaction takes its change-log sequences at its
     * commit. Sequences must only grow: a transaction that starts taking after another took its own gets higher
     * ones. Returns whether the storage will tell; the default does not, and the engine then treats the commit as
     * possibly holding a lower sequence than any commit that finishes while it runs.
     */
    default boolean reportSequencing(CommitSequencing sequencing) {
        return false;
    }

    /**
     * The host application's transaction this one joined, or empty for a transaction of the storage's own (the
     * default). When present, {@link #commit()} makes the writes part of the host's transaction instead of
     * committing them, {@link #rollback()} undoes only this transaction's writes, and the engine runs its
     * after-commit work when the host's transaction ends ({@link HostTransaction#afterCompletion}). A storage that
     * joins refuses what cannot join a transaction it does not own (schema changes).
     */
    default java.util.Optional<HostTransaction> joinedHost() {
        return java.util.Optional.empty();
    }

    /** Commits, returning the staged change-log entries with their sequences assigned, in order. */
    List<ChangeLogEntry> commit();

    void rollback();

    /** Rolls back if neither {@link #commit()} nor {@link #rollback()} was called. */
    @Override
    void close();

    /**
     * The storage's own transaction beneath any wrapper the engine puts around it (the encryption seam): an extension
     * that takes a transaction ({@link DocumentStore}, {@link SummaryStore}, the job queue...) looks at
     * {@code transaction.unwrap()} to find its own. A storage's transaction returns itself (the default).
     */
    default StorageTransaction unwrap() {
        return this;
    }
}
