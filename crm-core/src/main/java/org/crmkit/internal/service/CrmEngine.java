package org.crmkit.internal.service;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.crmkit.Crm;
import org.crmkit.CrmSession;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.StorageException;
import org.crmkit.event.ChangeListener;
import org.crmkit.event.ChangeLog;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.internal.value.ValueConverter;
import org.crmkit.schema.Schema;
import org.crmkit.security.Principal;
import org.crmkit.storage.spi.Storage;
import org.crmkit.storage.spi.StorageTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind {@link Crm}: owns the storage, the compiled schema, the clock, ids and listeners. */
public final class CrmEngine implements Crm, ChangeLog, org.crmkit.CrmAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(CrmEngine.class);

    final Storage storage;
    /** Where field-encryption keys come from; null when none were configured. */
    final org.crmkit.keys.@org.jspecify.annotations.Nullable KeyProvider keys;
    final Clock clock;
    final Supplier<UUID> ids;
    final ValueConverter converter;
    final SchemaService schema;
    final RecordCache recordCache;
    final SearchService search;
    final CursorCodec cursors;
    final BackgroundScans scans = new BackgroundScans();
    final RollupKeeper rollupKeeper = new RollupKeeper(this);
    final RollupRecalculations rollups = new RollupRecalculations(this, rollupKeeper);
    final ReportSummaries summaries = new ReportSummaries(this);
    final SummaryKeeper summaryKeeper = new SummaryKeeper(this, summaries);
    /** The stored roles, hierarchy, users, sharing rules and the manual shares asked about. */
    final AccessModels accessModels = new AccessModels(this);
    private final EngineBackups backups = new EngineBackups(this);
    private final TransactionRunner transactions = new TransactionRunner(this);
    /** Operation listeners and the MDC around each session operation. */
    final Observers observers = new Observers();
    private final EngineHealth health = new EngineHealth(this);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Plug-ins started with the engine (workflow), closed before the storage. */
    private final List<org.crmkit.plugin.spi.EnginePlugin> plugins = new CopyOnWriteArrayList<>();

    /** The change log's seals (on with a CHANGE_LOG_MAC key). */
    final org.crmkit.internal.chain.ChangeChain chain;

    /** Field encryption's key rotation; null without a key provider. */
    private final org.crmkit.internal.encryption.@org.jspecify.annotations.Nullable KeyRotation keyRotation;

    private CrmEngine(EngineConfig config) {
        var encryption = org.crmkit.internal.encryption.FieldEncryption.of(config.storage(), config.keys(),
                this::snapshotNow, this::isClosing);
        this.storage = encryption.storage();
        this.keyRotation = encryption.rotation();
        this.keys = config.keys();
        this.chain = org.crmkit.internal.chain.ChangeChain.of(storage, keys);
        this.clock = microseconds(config.clock());
        this.ids = config.ids() != null ? config.ids() : new UuidV7(config.clock());
        this.converter = new ValueConverter(config.phoneRegion(), config.defaultCurrency());
        this.recordCache = new RecordCache(config.recordCacheSize());
        this.schema = new SchemaService(this);
        this.search = new SearchService(this, config.search() != null ? config.search() : new StorageSearch());
        this.cursors = new CursorCodec(new CursorKey(storage, clock));
    }

    /** The current schema (for the encryption seam, made before the schema service). */
    private org.crmkit.schema.SchemaSnapshot snapshotNow() {
        return schema.compiled().snapshot;
    }

    public static Crm start(EngineConfig config) {
        return start(config, List.of());
    }

    /** Starts the engine, then each plug-in in order; a plug-in that fails to start closes everything again. */
    public static Crm start(EngineConfig config, List<org.crmkit.plugin.spi.EnginePlugin> plugins) {
        CrmEngine engine = start(new CrmEngine(config));
        for (org.crmkit.plugin.spi.EnginePlugin p : plugins) {
            try {
                p.start(engine.pluginContext());
                engine.plugins.add(p);
            } catch (RuntimeException e) {
                p.close();
                engine.close();
                throw e instanceof CrmException c ? c : new StorageException("cannot start " + p.name() + ": " + e, e);
            }
        }
        return engine;
    }

    private static CrmEngine start(CrmEngine engine) {
        engine.schema.load();
        if (engine.keys == null) {
            String encrypted = SchemaValidator.encryptedFields(engine.schema.compiled().snapshot);
            if (!encrypted.isEmpty()) {
                engine.storage.close();
                throw new org.crmkit.error.ConfigurationException(List.of("keys: the stored schema has encrypted "
                        + "fields (" + encrypted + "): build the Crm with keys(KeyProvider)"));
            }
        }
        engine.accessModels.catchUp();
        try {
            engine.search.start(engine.searchContext());
        } catch (RuntimeException e) {
            engine.search.backend().close();
            engine.storage.close();
            throw e instanceof CrmException c ? c : new StorageException("cannot start search "
                    + engine.search.backend().name() + ": " + e, e);
        }
        return engine;
    }

    @Override
    public Schema schema() {
        checkOpen();
        return schema;
    }

    @Override
    public CrmSession as(Principal principal) {
        checkOpen();
        java.util.Objects.requireNonNull(principal, "principal");
        return new Session(this, principal, null);
    }

    @Override
    public CrmSession asUser(String userId) {
        checkOpen();
        java.util.Objects.requireNonNull(userId, "userId");
        accessModels.catchUp();
        if (accessModels.model().principalOf(userId) == null) {
            throw new org.crmkit.error.AccessModelException(org.crmkit.error.AccessModelException.Problem.UNKNOWN_USER,
                    "user " + userId, "no user is stored under this id");
        }
        return new Session(this, userId, null);
    }

    @Override
    public org.crmkit.security.AccessAdmin access() {
        checkOpen();
        return new AccessAdminService(this, Principal.SYSTEM);
    }

    @Override
    public ChangeLog changeLog() {
        return this;
    }

    @Override
    public org.crmkit.event.ChainVerification verify() {
        checkOpen();
        return chain.verify();
    }

    @Override
    public org.crmkit.CrmAdmin admin() {
        checkOpen();
        return this;
    }

    @Override
    public org.crmkit.search.SearchIndex searchIndex() {
        return search;
    }

    @Override
    public org.crmkit.rollup.RollupAdmin rollups() {
        checkOpen();
        return rollups;
    }

    @Override
    public org.crmkit.backup.BackupManifest backup(java.nio.file.Path path) {
        checkOpen();
        return backups.backup(path);
    }

    @Override
    public org.crmkit.backup.BackupManifest verifyBackup(java.nio.file.Path path) {
        checkOpen();
        return backups.verify(path);
    }

    @Override
    public org.crmkit.backup.RestoreResult restore(java.nio.file.Path path, org.crmkit.backup.RestorePoint point) {
        checkOpen();
        return backups.restore(path, point);
    }

    @Override
    public org.crmkit.keys.EncryptionAdmin encryption() {
        checkOpen();
        if (keyRotation == null) {
            throw new org.crmkit.error.ConfigurationException(List.of("keys: this Crm was built without a key "
                    + "provider (Crm.builder().keys(...)), so it encrypts nothing"));
        }
        return keyRotation;
    }

    @Override
    public org.crmkit.health.Health health(org.crmkit.health.HealthBounds bounds) {
        return health.check(bounds); // no checkOpen: a closed Crm reports its storage down
    }

    @Override
    public AutoCloseable observe(org.crmkit.observe.OperationListener listener) {
        checkOpen();
        return observers.add(listener);
    }

    @Override
    public org.crmkit.observe.CacheStats recordCacheStats() {
        return recordCache.stats();
    }

    @Override
    public java.util.Optional<org.crmkit.observe.PoolStats> connectionPool() {
        if (closing.get()) {
            return java.util.Optional.empty();
        }
        return storage.extension(org.crmkit.storage.spi.ConnectionPool.class)
                .map(org.crmkit.storage.spi.ConnectionPool::stats);
    }

    @Override
    public org.crmkit.duplicate.DuplicateAdmin duplicates() {
        checkOpen();
        return new DuplicateScanner(this);
    }

    private org.crmkit.search.spi.SearchContext searchContext() {
        CrmEngine engine = this;
        return new org.crmkit.search.spi.SearchContext() {
            @Override
            public Storage storage() {
                return storage;
            }

            @Override
            public org.crmkit.schema.SchemaSnapshot schema() {
                return schema.compiled().snapshot;
            }

            @Override
            public ChangeLog changeLog() {
                return engine;
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public java.util.Optional<String> exactToken(String objectType, String field, String value) {
                return storage instanceof org.crmkit.internal.encryption.EncryptingStorage e
                        ? e.exactToken(schema.compiled().snapshot, objectType, field, value)
                        : java.util.Optional.empty();
            }
        };
    }

    private org.crmkit.plugin.spi.EngineContext pluginContext() {
        CrmEngine engine = this;
        return new org.crmkit.plugin.spi.EngineContext() {
            @Override
            public Crm crm() {
                return engine;
            }

            @Override
            public Storage storage() {
                return storage;
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public AutoCloseable addCommitHook(org.crmkit.plugin.spi.CommitHook hook) {
                return transactions.addCommitHook(hook);
            }

            @Override
            public AutoCloseable addHealthContributor(org.crmkit.health.spi.HealthContributor contributor) {
                return health.add(contributor);
            }

            @Override
            public org.crmkit.security.FieldAccess fieldAccess(Principal principal, String objectType, String field) {
                return new Access(principal, objectType, schema.compiled(), accessModels).field(field);
            }

            @Override
            public <T> T transaction(Principal principal,
                    java.util.function.BiFunction<CrmSession, StorageTransaction, T> work) {
                java.util.Objects.requireNonNull(principal, "principal");
                return engine.transaction(tx -> work.apply(new Session(engine, principal, tx), tx.storage));
            }
        };
    }

    @Override
    public List<ChangeLogEntry> read(long afterSequence, int limit) {
        checkOpen();
        if (limit < 1) {
            throw new org.crmkit.error.ValidationException("changelog", new org.crmkit.error.FieldError("limit",
                    org.crmkit.error.FieldErrorCode.OUT_OF_RANGE, "limit must be at least 1, not " + limit));
        }
        return storage.readChangeLog(afterSequence, limit);
    }

    @Override
    public long lastSequence() {
        checkOpen();
        return storage.lastSequence();
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return transactions.subscribe(listener);
    }

    /** {@link TransactionRunner#run} catching up itself. */
    <T> T transaction(Function<Tx, T> work) {
        return transactions.run(null, work);
    }

    /** {@link TransactionRunner#run}: a transaction for an operation that has just caught up with the access model. */
    <T> T transaction(AccessModels.@org.jspecify.annotations.Nullable CaughtUp caughtUp, Function<Tx, T> work) {
        return transactions.run(caughtUp, work);
    }

    /** Whether closing has begun: background work stops at its next step. */
    boolean isClosing() {
        return closing.get();
    }

    void checkOpen() {
        if (closed.get()) {
            throw new CrmException(ErrorCode.CLOSED, "this Crm is closed");
        }
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            // plug-ins first, while the engine still works: their threads may be finishing a transaction
            for (org.crmkit.plugin.spi.EnginePlugin p : plugins) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing {} failed", p.name(), e);
                }
            }
            transactions.clearHooks();
            scans.close(); // cancels background scans; the page being read finishes while the engine still works
            rollups.close(); // likewise for roll-up recalculations
            summaries.close(); // and summary rebuilds after new exchange rates
            if (keyRotation != null) {
                keyRotation.close();
            }
            closed.set(true);
            try {
                search.backend().close();
            } catch (RuntimeException e) {
                LOG.warn("closing search {} failed", search.backend().name(), e);
            }
            transactions.clearListeners();
            storage.close();
        }
    }

    /**
     * The host's clock cut to microseconds: every storage keeps instants to the microsecond (SQL timestamp(6)),
     * so records read back equal the records written.
     */
    private static Clock microseconds(Clock clock) {
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return clock.getZone();
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return microseconds(clock.withZone(zone));
            }

            @Override
            public java.time.Instant instant() {
                return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            }
        };
    }
}
