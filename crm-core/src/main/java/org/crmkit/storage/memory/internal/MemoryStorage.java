package org.crmkit.storage.memory.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.spi.JobQueue;

/** The storage SPI on a {@link MemoryStore}: what {@code InMemoryStorage} installs into a {@code Crm}. */
public final class MemoryStorage implements Storage {
    private final MemoryStore store = new MemoryStore();
    private final UUID identity = UUID.randomUUID();
    private final MemoryJobQueue jobs = new MemoryJobQueue(store);
    private final MemoryDocuments documents = new MemoryDocuments(store);
    private final MemorySummaries summaries = new MemorySummaries(store);
    private final MemoryPrivacy privacy = new MemoryPrivacy(store, jobs);
    private final MemoryBackup backup = new MemoryBackup(store, documents);

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

    /**
     * The workflow's {@link JobQueue}, the {@link DocumentStore}, the report summaries' {@code SummaryStore}, the
     * {@code PrivacyStore}, {@code BackupSupport} and the {@code ChangeLogSeals}, all working with this storage's transactions.
     */
    @Override
    public <T> Optional<T> extension(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return Stream.<Object>of(jobs, documents, summaries, privacy, backup, store.seals).filter(type::isInstance)
                .map(type::cast)
                .findFirst();
    }

    @Override
    public void close() {
        store.close();
    }
}
