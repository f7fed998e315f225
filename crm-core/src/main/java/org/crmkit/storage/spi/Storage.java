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

    /** The persisted schema, or empty for a storage that has never been used. */
    Optional<SchemaSnapshot> loadSchema();

    /** Every applied schema change, oldest first. */
    List<SchemaChangeEntry> schemaHistory();

    /** Starts a transaction; the caller commits or rolls back and always closes it. */
    StorageTransaction begin();

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

    /** The durable job queue of this storage, if it keeps one (the workflow engine needs it). */
    default java.util.Optional<JobQueue> jobQueue() {
        return java.util.Optional.empty();
    }

    /** The versioned documents of this storage (workflow rules), if it keeps them. */
    default java.util.Optional<DocumentStore> documents() {
        return java.util.Optional.empty();
    }

    /** Releases every resource; the storage cannot be used afterwards. */
    @Override
    void close();
}
