package org.crmkit.storage.jdbc.internal;

import org.jspecify.annotations.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.jdbc.spi.HostConnections;
import org.crmkit.storage.spi.DocumentStore;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageCapabilities;
import org.crmkit.storage.spi.StorageTransaction;
import org.crmkit.workflow.spi.JobQueue;
import org.jspecify.annotations.Nullable;

/** The storage SPI on a {@link JdbcStore}: what the public {@code JdbcStorage} handle installs into a {@code Crm}. */
public final class JdbcBackend implements Storage {
    private final JdbcStore store;
    /** The host's transactions to join; null when the storage always works in transactions of its own. */
    private final @Nullable HostConnections host;
    private final StorageCapabilities capabilities;
    private final JdbcJobQueue jobs;
    private final JdbcDocuments documents;
    private final JdbcSummaries summaries;
    private final JdbcRollupTotals rollupTotals;
    private final JdbcPrivacy privacy;
    private final JdbcSeals seals;
    private final JdbcBackup backup;

    private final org.crmkit.storage.spi.@Nullable ConnectionPool pool;

    /**
     * A backend whose store runs on a pool it owns, whose state {@code pool} reads (null: the host's pool), joining
     * the host's transactions that {@code host} finds (null: never).
     */
    public JdbcBackend(JdbcStore store, org.crmkit.storage.spi.@Nullable ConnectionPool pool,
            @Nullable HostConnections host) {
        this.pool = pool;
        this.store = store;
        this.host = host;
        this.jobs = new JdbcJobQueue(store);
        this.documents = new JdbcDocuments(store, jobs);
        this.summaries = new JdbcSummaries(store);
        this.rollupTotals = new JdbcRollupTotals(store);
        this.privacy = new JdbcPrivacy(store, jobs);
        this.backup = new JdbcBackup(store);
        this.seals = new JdbcSeals(store);
        this.capabilities = new StorageCapabilities(store.dialect().shortName(), true, true,
                StorageCapabilities.allFeatures());
    }

    /** The store underneath, for the handle's own operations (table prefix, schema repair). */
    public JdbcStore store() {
        return store;
    }

    @Override
    public StorageCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public List<ChangeLogEntry> changesOf(String objectType, UUID recordId) {
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(recordId, "recordId");
        return store.changesOf(recordId);
    }

    @Override
    public List<ChangeLogEntry> changesOf(Map<UUID, String> records) {
        Objects.requireNonNull(records, "records");
        return store.changesOf(records.keySet());
    }

    @Override
    public Optional<SchemaSnapshot> loadSchema() {
        return store.loadSchema();
    }

    @Override
    public List<SchemaChangeEntry> schemaHistory() {
        return store.schemaHistory();
    }

    @Override
    public StorageTransaction begin() {
        return begin(org.crmkit.storage.spi.CommittedVersions.UNKNOWN);
    }

    /** Joins the host's transaction when {@link HostConnections} finds one on this thread. */
    @Override
    public StorageTransaction begin(long committedSchemaVersion) {
        return store.begin(committedSchemaVersion, host == null ? null : host.current().orElse(null));
    }

    /** Read in one statement ({@link JdbcDocuments#committedVersions}). */
    @Override
    public org.crmkit.storage.spi.CommittedVersions committedVersions(java.util.Collection<String> documentKinds) {
        Objects.requireNonNull(documentKinds, "documentKinds");
        return documents.committedVersions(documentKinds);
    }

    @Override
    public List<ChangeLogEntry> readChangeLog(long afterSequence, int limit) {
        return store.readChangeLog(afterSequence, limit);
    }

    @Override
    public long lastSequence() {
        return store.lastSequence();
    }

    /** The id that migration V5 wrote once into the database's {@code crmkit_identity} table. */
    @Override
    public UUID identity() {
        return store.identity();
    }

    /**
     * The workflow's {@link JobQueue}, the {@link DocumentStore}, the report summaries' {@code SummaryStore}, the
     * roll-up totals' {@code RollupTotalsStore}, the {@code PrivacyStore} and {@code BackupSupport}, all working with
     * this storage's transactions.
     */
    @Override
    public <T> Optional<T> extension(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (type == org.crmkit.storage.spi.ConnectionPool.class) {
            return Optional.ofNullable(pool).map(type::cast);
        }
        return Stream.<Object>of(jobs, documents, summaries, rollupTotals, privacy, backup, seals)
                .filter(type::isInstance).map(type::cast)
                .findFirst();
    }

    @Override
    public void close() {
        store.close();
    }
}
