package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.StorageException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.event.Operation;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.support.StorageJson;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The shared state of one JDBC storage: the data source, the dialect and its {@link DatabaseStrategy}, names, the
 * JSON codec and the schema as last read or written (with the {@link RecordTable} of each type), and the reads that
 * need no transaction (schema, history, change log). {@link JdbcTransaction}s are opened from it.
 */
public final class JdbcStore {
    private final DataSource dataSource;
    private final @Nullable AutoCloseable ownedPool;
    /** Keeps this node's schema in step with the database's; one per store, shared by its transactions. */
    private final SchemaVersionGuard schemaGuard;
    private final Dialect dialect;
    /** What this store does differently on its database; chosen once, from {@link #dialect}. */
    private final DatabaseStrategy database;
    private final ChangeLogSequencer sequencer;
    private final Naming naming;
    private final SystemTables sys;
    private final StorageJson json = new StorageJson();
    private final SchemaDdl ddl;
    private final SqlErrors errors;
    private final SchemaHistoryStore history;
    private volatile SchemaState schema = new SchemaState(new SchemaSnapshot(0, Map.of(), Map.of()), Map.of());
    private volatile boolean closed;
    private volatile @Nullable UUID identity;
    /** Where writers are serialized (H2): one writing transaction at a time (see {@link #lockWrites()}). */
    private final java.util.concurrent.locks.ReentrantLock h2Writes = new java.util.concurrent.locks.ReentrantLock();
    private static final long H2_WRITE_WAIT_SECONDS = 30;
    /** Record ids per query of {@link #changesOf(java.util.Collection)}. */
    private static final int IDS_PER_QUERY = 500;

    /** The schema at one version with the table mapping of each of its types. */
    record SchemaState(SchemaSnapshot snapshot, Map<String, RecordTable> tables) {}

    public JdbcStore(DataSource dataSource, @Nullable AutoCloseable ownedPool, Dialect dialect, String prefix) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.dialect = dialect;
        this.database = dialect.strategy();
        this.naming = new Naming(prefix);
        this.sys = new SystemTables(naming);
        this.sequencer = database.changeLogSequencer(sys, naming);
        this.ddl = new SchemaDdl(naming, database);
        this.schemaGuard = new SchemaVersionGuard(this);
        this.errors = new SqlErrors(database, naming, schemaGuard::changedFor);
        this.history = new SchemaHistoryStore(sys, json);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** What this store does differently on its database. */
    DatabaseStrategy database() {
        return database;
    }

    public Naming naming() {
        return naming;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    SystemTables sys() {
        return sys;
    }

    /** Hands out the change log's sequences and tells how far the log is final. */
    ChangeLogSequencer sequencer() {
        return sequencer;
    }

    StorageJson json() {
        return json;
    }

    SchemaDdl ddl() {
        return ddl;
    }

    SchemaHistoryStore history() {
        return history;
    }

    SqlErrors errors() {
        return errors;
    }

    DSLContext dsl(Connection c) {
        return DSL.using(c, dialect.sqlDialect());
    }

    SQLDialect sqlDialect() {
        return dialect.sqlDialect();
    }

    /**
     * Takes the store's write lock, held by the one writing transaction of a database that serializes writers
     * ({@link DatabaseStrategy#serializesWriters()}); callers take it only there.
     */
    void lockWrites() {
        try {
            if (!h2Writes.tryLock(H2_WRITE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new StorageException("waited " + H2_WRITE_WAIT_SECONDS + " s for another H2 transaction to "
                        + "finish writing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting to write to H2", e);
        }
    }

    void unlockWrites() {
        h2Writes.unlock();
    }

    SchemaVersionGuard schemaGuard() {
        return schemaGuard;
    }

    void checkOpen() {
        if (closed) {
            throw new CrmException(ErrorCode.CLOSED, dialect.shortName() + " storage is closed");
        }
    }

    Connection connection() {
        checkOpen();
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw errors.storage("getting a connection", e);
        }
        if (ownedPool == null) {
            try {
                database.prepareHostConnection(dsl(c));
            } catch (RuntimeException e) {
                closeQuietly(c);
                throw errors.map(e, null, null, "setting up the connection");
            }
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the setup failure is what the caller needs to see
        }
    }

    /** {@link #read} for a statement that writes: under the write lock where writers are serialized (H2). */
    <T> T write(String doing, java.util.function.Function<DSLContext, T> work) {
        if (!database.serializesWriters()) {
            return read(doing, work);
        }
        lockWrites();
        try {
            return read(doing, work);
        } finally {
            unlockWrites();
        }
    }

    /** Runs {@code work} on a pooled connection in autocommit mode, mapping database errors. */
    <T> T read(String doing, java.util.function.Function<DSLContext, T> work) {
        try (Connection c = connection()) {
            return work.apply(dsl(c));
        } catch (SQLException e) {
            throw errors.storage(doing, e);
        } catch (RuntimeException e) {
            throw errors.map(e, null, null, doing);
        }
    }

    // ---- schema -------------------------------------------------------------------------------------------

    SchemaState schemaState() {
        return schema;
    }

    /** The table mapping of a type in the given schema state, cached per state. */
    RecordTable table(SchemaState state, String type) {
        RecordTable t = state.tables().get(type);
        if (t != null) {
            return t;
        }
        ObjectType ot = state.snapshot().findObjectType(type).orElseThrow(() -> new CrmException(ErrorCode.SCHEMA,
                "no object type " + type));
        return new RecordTable(ot, naming, database);
    }

    /** Makes {@code snapshot} the current schema state (when it is newer than the one held). */
    synchronized SchemaState adopt(SchemaSnapshot snapshot) {
        if (snapshot.version() < schema.snapshot().version()) {
            return schema;
        }
        if (snapshot.version() != schema.snapshot().version() || schema.tables().isEmpty()) {
            Map<String, RecordTable> tables = new ConcurrentHashMap<>();
            for (ObjectType t : snapshot.types()) {
                tables.put(t.name(), new RecordTable(t, naming, database));
            }
            schema = new SchemaState(snapshot, Map.copyOf(tables));
        }
        return schema;
    }

    /** Reads the current schema (see {@link SchemaHistoryStore#loadCurrent}) and adopts it; empty when none. */
    public Optional<SchemaSnapshot> loadSchema() {
        return read("loading the schema", this::loadSchema);
    }

    /** Loads the current schema on {@code dsl}'s connection (see {@link SchemaHistoryStore#loadCurrent}), adopts it. */
    Optional<SchemaSnapshot> loadSchema(DSLContext dsl) {
        Optional<SchemaSnapshot> loaded = history.loadCurrent(dsl);
        loaded.ifPresent(this::adopt);
        return loaded;
    }

    /**
     * Adds the roll-up totals column ({@link RecordTable#rollupTotals}) to the tables of types that hold roll-ups
     * and lack it: tables made before the column existed. A cheap probe per such table; the DDL only where missing.
     */
    public void addMissingRollupTotals() {
        for (RecordTable t : schema.tables().values()) {
            org.jooq.Field<String> totals = t.rollupTotals;
            if (totals == null) {
                continue;
            }
            boolean present;
            try (Connection c = connection()) {
                dsl(c).select(totals).from(t.table()).where(DSL.falseCondition()).fetch();
                present = true;
            } catch (SQLException | org.jooq.exception.DataAccessException e) {
                present = false;
            }
            if (!present) {
                write("adding the roll-up totals column of " + t.type().name(), dsl -> {
                    SchemaDdl.addRollupTotals(dsl, t);
                    return null;
                });
            }
        }
    }

    public List<SchemaChangeEntry> schemaHistory() {
        return read("reading the schema history", this::schemaHistory);
    }

    /** Every schema change, oldest first, read on {@code dsl}'s connection. */
    List<SchemaChangeEntry> schemaHistory(DSLContext dsl) {
        return dsl.select(sys.schemaVersion, sys.appliedAt,
                sys.principalId, sys.changeJson).from(sys.schemaHistory).orderBy(sys.schemaVersion.asc())
                .fetch(r -> new SchemaChangeEntry(r.get(sys.schemaVersion),
                        RecordTable.requiredInstant(r.get(sys.appliedAt)),
                        r.get(sys.principalId), json.readSchemaChange(r.get(sys.changeJson))));
    }

    // ---- change log ---------------------------------------------------------------------------------------

    /** Up to {@code limit} final entries after {@code afterSequence} (see {@link ChangeLogSequencer}). */
    public List<ChangeLogEntry> readChangeLog(long afterSequence, int limit) {
        List<ChangeLogEntry> page = read("reading the change log", dsl -> readChangeLog(dsl, afterSequence, limit));
        List<ChangeLogEntry> done = sequencer.finalPart(page, afterSequence);
        if (done.size() < page.size()) { // stopped at a gap: wait for what is committing, then read again
            sequencer.awaitCommitting(this);
            page = read("reading the change log", dsl -> readChangeLog(dsl, afterSequence, limit));
            done = sequencer.finalPart(page, afterSequence);
        }
        return done;
    }

    /** Up to {@code limit} entries after {@code afterSequence}, read on {@code dsl}'s connection. */
    List<ChangeLogEntry> readChangeLog(DSLContext dsl, long afterSequence, int limit) {
        return changeLogPage(dsl, afterSequence, limit).fetch(this::entry);
    }

    private org.jooq.ResultQuery<org.jooq.Record> changeLogPage(DSLContext dsl, long afterSequence, int limit) {
        return dsl.select(changeLogFields()).from(sys.changeLog).where(sys.seq.gt(afterSequence))
                .orderBy(sys.seq.asc()).limit(limit);
    }

    /** {@link #readChangeLog(DSLContext, long, int)} with each entry's field changes as stored, unparsed. */
    List<org.crmkit.storage.spi.StoredChanges> readChangeLogAsStored(DSLContext dsl, long afterSequence, int limit) {
        return changeLogPage(dsl, afterSequence, limit)
                .fetch(r -> new org.crmkit.storage.spi.StoredChanges(entry(r, List.of()), r.get(sys.changesJson)));
    }

    /** Forgets the schema held (a restore replaced it, maybe by a lower version); the next read loads it again. */
    synchronized void forgetSchema() {
        schema = new SchemaState(new SchemaSnapshot(0, Map.of(), Map.of()), Map.of());
    }

    public List<ChangeLogEntry> changesOf(UUID recordId) {
        return read("reading a record's history", dsl -> dsl.select(changeLogFields()).from(sys.changeLog)
                .where(sys.recordId.eq(recordId)).orderBy(sys.seq.asc()).fetch(this::entry));
    }

    /** The entries of many records, in sequence order: one query per {@value #IDS_PER_QUERY} ids. */
    public List<ChangeLogEntry> changesOf(java.util.Collection<UUID> recordIds) {
        List<UUID> ids = List.copyOf(recordIds);
        List<ChangeLogEntry> out = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i += IDS_PER_QUERY) {
            List<UUID> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_QUERY));
            out.addAll(read("reading the history of records", dsl -> dsl.select(changeLogFields())
                    .from(sys.changeLog).where(sys.recordId.in(chunk)).fetch(this::entry)));
        }
        out.sort(java.util.Comparator.comparingLong(ChangeLogEntry::sequence));
        return out;
    }

    /** The newest final sequence with an entry, or 0. */
    public long lastSequence() {
        return sequencer.lastFinal(this);
    }

    /** The database's identity, read once (it never changes). */
    public UUID identity() {
        UUID known = identity;
        if (known == null) {
            String id = read("reading the storage identity", dsl -> dsl.select(sys.identityId).from(sys.identity)
                    .fetchOne(sys.identityId));
            if (id == null) {
                throw new StorageException("the table " + naming.system("identity").last()
                        + " is empty; it holds one row written by migration V5");
            }
            known = UUID.fromString(id.trim());
            identity = known;
        }
        return known;
    }

    List<org.jooq.Field<?>> changeLogFields() {
        return List.of(sys.seq, sys.txId, sys.occurredAt, sys.principalId, sys.objectType, sys.recordId,
                sys.operation, sys.recordVersion, sys.changesJson);
    }

    ChangeLogEntry entry(org.jooq.Record r) {
        return entry(r, json.readChanges(r.get(sys.changesJson)));
    }

    private ChangeLogEntry entry(org.jooq.Record r, List<org.crmkit.event.FieldChange> changes) {
        return new ChangeLogEntry(r.get(sys.seq), RecordTable.requiredInstant(r.get(sys.occurredAt)),
                r.get(sys.principalId), r.get(sys.objectType), r.get(sys.recordId),
                Operation.valueOf(r.get(sys.operation)), r.get(sys.recordVersion), changes, r.get(sys.txId));
    }

    // ---- crash repair -------------------------------------------------------------------------------------

    /**
     * Finishes schema changes whose DDL ran (on H2 or MariaDB, outside the transaction) but whose metadata was
     * never committed: under the schema lock, each pending change newer than the history is run again (its DDL
     * is idempotent) and recorded; pending rows already in the history are dropped. Returns how many changes
     * were finished.
     */
    public int repairPendingSchemaChanges() {
        try (JdbcTransaction tx = begin()) {
            int repaired = tx.repairPending();
            tx.commit();
            return repaired;
        }
    }

    /**
     * Whether redo rows are waiting (read without the lock: a row of a change in progress on another node is
     * seen too, and repairing then just waits for that node's lock and finds nothing left to do).
     */
    boolean hasPendingSchemaChanges() {
        return read("reading the schema redo log", dsl -> dsl.fetchExists(sys.schemaPending));
    }

    /** A pending (redo) schema change as stored. */
    record Pending(long version, Instant createdAt, String principalId, SchemaChange change, SchemaSnapshot next) {}

    List<Pending> pending(DSLContext dsl) {
        List<Pending> out = new ArrayList<>();
        for (org.jooq.Record r : dsl.select(sys.schemaVersion, sys.createdAt, sys.principalId, sys.changeJson,
                sys.snapshotJson).from(sys.schemaPending).orderBy(sys.schemaVersion.asc()).fetch()) {
            out.add(new Pending(r.get(sys.schemaVersion), RecordTable.requiredInstant(r.get(sys.createdAt)),
                    r.get(sys.principalId), json.readSchemaChange(r.get(sys.changeJson)),
                    json.readSnapshot(r.get(sys.snapshotJson))));
        }
        return out;
    }

    public JdbcTransaction begin() {
        return begin(org.crmkit.storage.spi.CommittedVersions.UNKNOWN);
    }

    /** A transaction that takes {@code committedSchemaVersion}, just read, for the one it would read on its connection. */
    public JdbcTransaction begin(long committedSchemaVersion) {
        return begin(committedSchemaVersion, null);
    }

    /** {@link #begin(long)} inside the host's transaction {@code host} (null: a transaction of its own). */
    public JdbcTransaction begin(long committedSchemaVersion,
            org.crmkit.storage.jdbc.spi.@Nullable HostConnection host) {
        checkOpen();
        return new JdbcTransaction(this, committedSchemaVersion, host);
    }

    public void close() {
        closed = true;
        if (ownedPool != null) {
            try {
                ownedPool.close();
            } catch (Exception e) {
                throw new StorageException("closing the connection pool failed: " + e.getMessage(), e);
            }
        }
    }
}
