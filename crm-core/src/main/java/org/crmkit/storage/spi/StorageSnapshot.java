package org.crmkit.storage.spi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * A consistent, read-only view of one storage's committed data ({@link BackupSupport#openSnapshot()}): every method
 * answers as of the same moment, however long the view is open and whatever commits meanwhile. The paged reads are
 * keyset reads, so a caller holds one page at a time. The engine calls a view one method at a time, but not always
 * from the thread that opened it (a backup reads the next page on a thread of its own while it writes this one).
 */
public interface StorageSnapshot extends AutoCloseable {
    /** The sequence of the newest change-log entry in the view, or 0. */
    long lastSequence();

    /** The schema in the view, or empty for a storage never used. */
    Optional<SchemaSnapshot> schema();

    /** Every schema change in the view, oldest first. */
    List<SchemaChangeEntry> schemaHistory();

    /**
     * Up to {@code limit} records of {@code objectType}, soft-deleted ones included, whole (every stored value), in
     * the storage's order of ids, after the record {@code afterId} (null: from the first).
     */
    List<Record> records(String objectType, @Nullable UUID afterId, int limit);

    /** Up to {@code limit} change-log entries after {@code afterSequence}, in sequence order. */
    List<ChangeLogEntry> changeLog(long afterSequence, int limit);

    /**
     * {@link #changeLog} with each entry's field changes as JSON text ({@link StoredChanges}), for a backup that
     * copies them into its archive. The default writes the text from {@link #changeLog}; a storage that keeps that
     * text hands it over as stored, without parsing it into values and writing it out again.
     */
    default List<StoredChanges> changeLogAsStored(long afterSequence, int limit) {
        org.crmkit.storage.support.StorageJson json = new org.crmkit.storage.support.StorageJson();
        List<ChangeLogEntry> entries = changeLog(afterSequence, limit);
        List<StoredChanges> out = new java.util.ArrayList<>(entries.size());
        for (ChangeLogEntry e : entries) {
            out.add(new StoredChanges(e.onlyFields(f -> false), json.writeChanges(e.changes())));
        }
        return out;
    }

    /**
     * Every saved version of every document (deletions included, with a null body), by kind then revision; empty for a
     * storage without a {@link DocumentStore}.
     */
    List<DocumentStore.StoredDocument> documents();

    /** Up to {@code limit} merge links after the one of record {@code afterId} (null: from the first), by record id. */
    List<MergeLink> mergeLinks(@Nullable UUID afterId, int limit);

    /**
     * Up to {@code limit} change-log seals after {@code afterSequence}, in order ({@link ChangeLogSeals}); none on a
     * storage that keeps no seals (the default).
     */
    default List<ChangeSeal> changeSeals(long afterSequence, int limit) {
        return List.of();
    }

    /**
     * Up to {@code limit} rows of the import ledger after {@code after} (null: from the first), ordered by principal,
     * object type, import id and row.
     */
    List<ImportedRow> importedRows(@Nullable ImportedRow after, int limit);

    /** Ends the view (its transaction). */
    @Override
    void close();
}
