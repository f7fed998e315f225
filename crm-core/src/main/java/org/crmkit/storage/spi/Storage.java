package org.crmkit.storage.spi;

import java.util.List;
import java.util.Optional;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;

/**
 * What a storage implements: persisted schema, records, change log, all under transactions. The service layer
 * has already checked access, converted and validated every value, and resolved every filter path against the
 * schema before calling; a storage translates, stores and enforces what only it can (unique values, versions,
 * isolation). The conformance suite in {@code crm-testkit} is the executable contract. A storage is an internal
 * class of its module, installed by its public handle ({@link org.crmkit.CrmStorage}) through
 * {@link org.crmkit.plugin.spi.CrmPlugin#install}.
 */
public interface Storage extends AutoCloseable {
    StorageCapabilities capabilities();

    /** Short name for messages, the one of {@link #capabilities()}. */
    default String name() {
        return capabilities().name();
    }

    /** Every committed change-log entry of one record, in sequence order (for timelines). */
    List<ChangeLogEntry> changesOf(String objectType, java.util.UUID recordId);

    /**
     * Every committed change-log entry of several records (record id to its type), in sequence order: a roll-up
     * timeline reads thousands at once. The default asks {@link #changesOf(String, java.util.UUID)} per record; a
     * storage reads them in a few queries.
     */
    default List<ChangeLogEntry> changesOf(java.util.Map<java.util.UUID, String> records) {
        List<ChangeLogEntry> out = new java.util.ArrayList<>();
        records.forEach((id, type) -> out.addAll(changesOf(type, id)));
        out.sort(java.util.Comparator.comparingLong(ChangeLogEntry::sequence));
        return out;
    }

    /** The persisted schema, or empty for a storage that has never been used. */
    Optional<SchemaSnapshot> loadSchema();

    /** Every applied schema change, oldest first. */
    List<SchemaChangeEntry> schemaHistory();

    /** Starts a transaction; the caller commits or rolls back and always closes it. */
    StorageTransaction begin();

    /**
     * Starts a transaction for a caller that has just read the committed schema version with
     * {@link #committedVersions}: a storage that would read the version when the transaction takes its connection
     * may take this one instead, which saves a statement per operation. A version of
     * {@link CommittedVersions#UNKNOWN}, or the default implementation, begins as {@link #begin()}.
     */
    default StorageTransaction begin(long committedSchemaVersion) {
        return begin();
    }

    /**
     * The committed schema version and the revisions of {@code documentKinds}, read together: the engine asks
     * before every operation. A SQL storage reads them in one statement. The default reads the revisions from the
     * {@link DocumentStore} extension, if any, and leaves the schema version {@link CommittedVersions#UNKNOWN}.
     */
    default CommittedVersions committedVersions(java.util.Collection<String> documentKinds) {
        java.util.Objects.requireNonNull(documentKinds, "documentKinds");
        return new CommittedVersions(CommittedVersions.UNKNOWN, extension(DocumentStore.class)
                .map(d -> d.revisions(documentKinds)).orElse(java.util.Map.of()));
    }

    /** Up to {@code limit} committed change-log entries after {@code afterSequence}, in sequence order. */
    List<ChangeLogEntry> readChangeLog(long afterSequence, int limit);

    /** The sequence of the newest committed entry, or 0. */
    long lastSequence();

    /**
     * The identity of the data this storage holds: a random id made once when the database was set up (for the
     * in-memory storage, per instance), the same on every node and after every restart, different for another or
     * a newly created database. Derived state kept outside the storage (a search index) records it to recognise
     * that it was built from other data.
     */
    java.util.UUID identity();

    /**
     * An optional extension of this storage of the given type, such as the workflow's job queue
     * ({@code org.crmkit.workflow.spi.JobQueue}) or the {@link DocumentStore}: parts of a storage that only some
     * consumers need, kept out of this interface so that it holds only records, schema and change log. The default
     * offers none. An extension that writes with a {@link StorageTransaction} must commit and roll back with it.
     */
    default <T> java.util.Optional<T> extension(Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        return java.util.Optional.empty();
    }

    /** Releases every resource; the storage cannot be used afterwards. */
    @Override
    void close();
}
