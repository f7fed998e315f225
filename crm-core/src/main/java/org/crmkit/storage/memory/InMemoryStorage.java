package org.crmkit.storage.memory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.memory.internal.MemoryStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageTransaction;

/**
 * Storage in the heap, for tests and demos: real transactions (a transaction sees its own writes, others see
 * them only after commit, rollback leaves nothing; concurrent writers to one record conflict at commit), unique
 * values, and exactly the query semantics of the SQL storages. Nothing survives the process.
 *
 * <pre>{@code
 * Crm crm = Crm.builder().storage(InMemoryStorage.create()).build();
 * }</pre>
 */
public final class InMemoryStorage implements Storage {
    private final MemoryStore store = new MemoryStore();
    private final java.util.UUID identity = java.util.UUID.randomUUID();
    private final org.crmkit.storage.memory.internal.MemoryJobQueue jobs =
            new org.crmkit.storage.memory.internal.MemoryJobQueue(store);
    private final org.crmkit.storage.memory.internal.MemoryDocuments documents =
            new org.crmkit.storage.memory.internal.MemoryDocuments(store);

    private InMemoryStorage() {}

    public static InMemoryStorage create() {
        return new InMemoryStorage();
    }

    @Override
    public StorageCapabilities capabilities() {
        return new StorageCapabilities("memory", false, false);
    }

    @Override
    public Optional<SchemaSnapshot> loadSchema() {
        return store.schema();
    }

    @Override
    public List<SchemaChangeEntry> schemaHistory() {
        return store.schemaHistory();
    }

    @Override
    public StorageTransaction begin() {
        return store.begin();
    }

    @Override
    public List<ChangeLogEntry> readChangeLog(long afterSequence, int limit) {
        return store.readChangeLog(afterSequence, limit);
    }

    @Override
    public List<ChangeLogEntry> changesOf(String objectType, UUID recordId) {
        return store.changesOf(recordId);
    }

    @Override
    public long lastSequence() {
        return store.lastSequence();
    }

    /** A random id per instance: each in-memory storage holds other data. */
    @Override
    public java.util.UUID identity() {
        return identity;
    }

    @Override
    public Optional<org.crmkit.storage.spi.JobQueue> jobQueue() {
        return Optional.of(jobs);
    }

    @Override
    public Optional<org.crmkit.storage.spi.DocumentStore> documents() {
        return Optional.of(documents);
    }

    @Override
    public void close() {
        store.close();
    }
}
