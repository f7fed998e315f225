package org.crmkit.storage.memory.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.JobQueue;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageTransaction;

/** The storage SPI on a {@link MemoryStore}: what {@code InMemoryStorage} installs into a {@code Crm}. */
public final class MemoryStorage implements Storage {
    private final MemoryStore store = new MemoryStore();
    private final UUID identity = UUID.randomUUID();
    private final MemoryJobQueue jobs = new MemoryJobQueue(store);
    private final MemoryDocuments documents = new MemoryDocuments(store);

    @Override
    public StorageCapabilities capabilities() {
        return new StorageCapabilities("memory", false, false, StorageCapabilities.allFeatures());
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
    public UUID identity() {
        return identity;
    }

    @Override
    public Optional<JobQueue> jobQueue() {
        return Optional.of(jobs);
    }

    @Override
    public Optional<DocumentStore> documents() {
        return Optional.of(documents);
    }

    @Override
    public void close() {
        store.close();
    }
}
