package org.crmkit.storage.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;

/**
 * Where a restore writes ({@link BackupSupport#openRestoreTarget()}). The engine checks the archive and the target
 * first ({@link #contents()}, {@link #checkSchema}), then calls {@link #wipe}, {@link #writeSchema}, the record
 * writes, the other writes and {@link #finish()}; if any of them fails it calls {@link #wipe} again, which must leave
 * the storage without schema or data whatever was written. Values are written exactly as given: ids, versions,
 * owners, time stamps and sequences are kept, and nothing is checked against the schema (the archive was).
 * Each call may commit on its own; nobody else uses the storage meanwhile. Between {@link #writeSchema} and
 * {@link #finish()} the engine makes up to two calls at once, from threads other than the one that opened the
 * target: one of {@link #writeRecords} and {@link #writeReferences}, and one of the other writes (the change log,
 * seals, documents, merge links and import ledger refer to no record table), so that a database loads two tables at
 * a time. Each lane's calls come one at a time and in order.
 */
public interface RestoreTarget extends AutoCloseable {
    /** What the storage holds now, for the engine's emptiness check. */
    Contents contents();

    /**
     * Refuses, with {@link org.crmkit.error.BackupException} ({@code TARGET_CANNOT_HOLD}) naming the type or field, a
     * schema this storage cannot hold (a column limit, say), before anything is written.
     */
    void checkSchema(SchemaSnapshot schema);

    /**
     * Removes the schema (tables and history) and every record, change-log entry, document (except those of the
     * kinds in {@code keepDocumentKinds}), merge link and import-ledger row; sequences start again at 1.
     */
    void wipe(Set<String> keepDocumentKinds);

    /** Creates the schema {@code current} (its tables, on SQL) and records {@code history} as its history. */
    void writeSchema(List<SchemaChangeEntry> history, SchemaSnapshot current);

    /**
     * Inserts records exactly as given; the engine leaves out their reference and relation values here and writes
     * them with {@link #writeReferences} once every record is in.
     */
    void writeRecords(List<Record> records);

    /** Writes the reference and relation values of records written before (each given whole). */
    void writeReferences(List<Record> records);

    /** Appends change-log entries with their sequences, in sequence order. */
    void writeChanges(List<ChangeLogEntry> entries);

    /**
     * Appends change-log entries as {@link #writeChanges} does, their field changes given as the JSON text the
     * archive holds ({@link StoredChanges}; the restore has read every one of them before). The default reads the
     * text and calls {@link #writeChanges}; a storage that keeps the field changes as that text stores it unread.
     */
    default void writeStoredChanges(List<StoredChanges> entries) {
        org.crmkit.storage.support.StorageJson json = new org.crmkit.storage.support.StorageJson();
        List<ChangeLogEntry> read = new java.util.ArrayList<>(entries.size());
        for (StoredChanges s : entries) {
            ChangeLogEntry e = s.entry();
            read.add(new ChangeLogEntry(e.sequence(), e.at(), e.principalId(), e.objectType(), e.recordId(),
                    e.operation(), e.version(), json.readChanges(s.changesJson()), e.transactionId()));
        }
        writeChanges(read);
    }

    /**
     * Writes change-log seals as given, in sequence order; {@link #finish()} makes the last one the head the next
     * committed entry links to. A storage that keeps no seals ({@link ChangeLogSeals}) refuses any (the default).
     */
    default void writeSeals(List<ChangeSeal> seals) {
        if (!seals.isEmpty()) {
            throw new UnsupportedOperationException("this storage keeps no change-log seals (ChangeLogSeals)");
        }
    }

    /** Writes document versions with their versions and revisions, in revision order within each kind. */
    void writeDocuments(List<DocumentStore.StoredDocument> versions);

    /** Writes merge links. */
    void writeMergeLinks(List<MergeLink> links);

    /** Writes import-ledger rows. */
    void writeImportedRows(List<ImportedRow> rows);

    /**
     * Ends the restore: the next change-log sequence follows the last entry written, document revisions follow the
     * last written per kind.
     */
    void finish();

    @Override
    void close();

    /**
     * What a storage holds.
     *
     * @param records          records per object type (types without records left out)
     * @param changeLogEntries change-log entries
     * @param documents        documents per kind (every version counted)
     * @param mergeLinks       merge links
     * @param importedRows     import-ledger rows
     */
    record Contents(Map<String, Long> records, long changeLogEntries, Map<String, Long> documents, long mergeLinks,
            long importedRows) {
        public Contents {
            records = Map.copyOf(records);
            documents = Map.copyOf(documents);
        }
    }
}
