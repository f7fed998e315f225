package org.crmkit.storage.jdbc.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ImportKey;
import org.crmkit.storage.spi.ResolvedFilter;
import org.crmkit.storage.spi.ResolvedPaths;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * One transaction on a {@link JdbcStore}: the facade that reads, and that commits or rolls back what its parts
 * hold. It takes a pooled connection on first use and stays in autocommit mode while it only reads (a read-only
 * transaction costs no BEGIN or COMMIT round trip); the first write switches the connection to a real transaction
 * at READ COMMITTED ({@link TransactionConnection}). Record writes are buffered and sent when the transaction next
 * queries, and at {@link #commit()} ({@link WriteBuffer}: {@code UPDATE ... WHERE id = ? AND version = ?}, zero
 * rows means someone else committed first), so no row lock is held while the caller's code runs and, as in
 * memory, the first transaction to commit wins. {@link #find} sees the buffered writes. Change-log entries
 * ({@link ChangeLogWriter}) and schema changes ({@link SchemaCommit}) are written at commit, where the
 * {@code change_log} lock row hands out sequences so they follow commit order. Aggregates are
 * {@link AggregateSql}'s, the import ledger {@link ImportLedger}'s, merge links {@link MergeLinks}'.
 * About 450 lines because it is the one SPI object every call goes through: most methods are a line that hands over
 * to one of those parts.
 */
public final class JdbcTransaction implements StorageTransaction {
    private final JdbcStore store;
    private final TransactionConnection conn;
    private final WriteBuffer writes;
    private final ChangeLogWriter log;
    private final SchemaCommit schema;
    private final ImportLedger imports;
    private final MergeLinks mergeLinks;
    private boolean done;
    /** Statements of the job queue for the end of the transaction ({@link #atCommit}). */
    private final List<Consumer<DSLContext>> atCommit = new ArrayList<>();

    JdbcTransaction(JdbcStore store, long committedSchemaVersion,
            org.crmkit.storage.jdbc.spi.@org.jspecify.annotations.Nullable HostConnection host) {
        this.store = store;
        this.conn = new TransactionConnection(store, committedSchemaVersion, host);
        this.writes = new WriteBuffer(store, conn);
        this.log = new ChangeLogWriter(store, conn, writes);
        this.schema = new SchemaCommit(store, conn);
        this.imports = new ImportLedger(store, conn);
        this.mergeLinks = new MergeLinks(store, conn);
    }

    private void checkActive() {
        store.checkOpen();
        if (done) {
            throw new CrmException(ErrorCode.CLOSED, "transaction already ended");
        }
    }

    private DSLContext dsl() {
        return conn.dsl();
    }

    private RecordTable table(String type) {
        return conn.table(type);
    }

    private boolean knows(String type) {
        return conn.knows(type);
    }

    private void flush() {
        writes.flush();
    }

    @Override
    public long schemaVersion() {
        checkActive();
        return conn.schema().snapshot().version();
    }

    /** Sends the buffered record writes now (before a lock that must be taken after them). */
    void flushWrites() {
        checkActive();
        flush();
    }

    /**
     * The transaction's connection, switched to a real transaction, for the job queue, documents and summaries of
     * the same storage ({@link JdbcJobQueue}, {@link JdbcDocuments}, {@link JdbcSummaries}): what they write there
     * commits or rolls back with it.
     */
    DSLContext joined(JdbcStore owner) {
        checkActive();
        if (owner != store) {
            throw new IllegalArgumentException("a transaction of another storage");
        }
        return conn.writer();
    }

    /**
     * Runs {@code statement} at commit, after every other write: when the transaction wrote nothing else it runs alone
     * in autocommit mode (one round trip, as a job completion on its own needs), else inside the transaction just
     * before COMMIT. A throw fails the commit and rolls everything back.
     */
    void atCommit(JdbcStore owner, Consumer<DSLContext> statement) {
        checkActive();
        if (owner != store) {
            throw new IllegalArgumentException("a transaction of another storage");
        }
        atCommit.add(statement);
    }

    // ---- schema -------------------------------------------------------------------------------------------

    @Override
    public void applySchemaChange(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {
        checkActive();
        if (conn.host() != null) {
            throw new org.crmkit.error.ConfigurationException(List.of("a schema change cannot join the host's "
                    + "transaction (H2 and MariaDB commit DDL at once, and other nodes must see the change whole): "
                    + "make it outside the host's transaction"));
        }
        schema.apply(change, next, entry);
    }

    /** See {@link JdbcStore#repairPendingSchemaChanges()}; the caller holds or takes the schema lock. */
    int repairPending() {
        checkActive();
        return schema.repair();
    }

    // ---- reads --------------------------------------------------------------------------------------------

    @Override
    public Optional<Record> find(String type, UUID id) {
        checkActive();
        if (!knows(type)) {
            return Optional.empty();
        }
        if (writes.holds(id)) {
            return Optional.ofNullable(writes.buffered(id)).filter(r -> r.type().equals(type));
        }
        RecordTable t = table(type);
        try {
            org.jooq.Record row = dsl().select(t.selectList()).from(t.table()).where(t.id.eq(id)).fetchOne();
            if (row == null) {
                return Optional.empty();
            }
            return Optional.of(t.toRecord(row, links(t, List.of(id)).getOrDefault(id, Map.of())));
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, null, "reading " + type + " " + id);
        }
    }

    /**
     * {@code SELECT ... WHERE id IN (...) ORDER BY id FOR UPDATE} in the transaction: the rows are locked in id order
     * until the transaction ends, and read as newest committed (READ COMMITTED), after any other locker's commit.
     * Records this transaction wrote and has not sent yet come from the {@link WriteBuffer}. The buffered writes
     * are sent only afterwards, on purpose: sending a child first would share-lock its parent (the foreign key
     * check, or {@link WriteBuffer}'s own reference lock), and two writers of children of one parent would then each
     * wait for the other's share lock to take the exclusive one. A deadlock the database still detects (after
     * writes sent earlier in a long transaction) is a {@link org.crmkit.error.ConflictException}: retry.
     */
    @Override
    public List<Record> lockForUpdate(String type, Collection<UUID> ids) {
        checkActive();
        if (!knows(type) || ids.isEmpty()) {
            return List.of();
        }
        RecordTable t = table(type);
        List<Record> out = new ArrayList<>(ids.size());
        List<UUID> stored = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            if (writes.holds(id)) {
                Record buffered = writes.buffered(id);
                if (buffered != null && buffered.type().equals(type)) {
                    out.add(buffered);
                }
            } else {
                stored.add(id);
            }
        }
        if (stored.isEmpty()) {
            return out;
        }
        try {
            org.jooq.Field<String> totals = t.rollupTotals;
            List<org.jooq.Field<?>> select = t.selectList();
            if (totals != null) {
                select = new ArrayList<>(select);
                select.add(totals);
            }
            List<org.jooq.Record> rows = new ArrayList<>(conn.writer().select(select).from(t.table())
                    .where(t.id.in(stored)).orderBy(t.id).forUpdate().fetch());
            Map<UUID, Map<String, List<UUID>>> links = links(t, rows.stream().map(r -> r.get(t.id)).toList());
            for (org.jooq.Record r : rows) {
                out.add(t.toRecord(r, links.getOrDefault(r.get(t.id), Map.of())));
                if (totals != null) {
                    writes.knownTotals().put(r.get(t.id), Optional.ofNullable(r.get(totals)));
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, new SqlErrors.Target(type, stored.get(0), -1),
                    "locking " + type + " records");
        }
    }

    /** The buffered record writes (for {@link JdbcRollupTotals}). */
    WriteBuffer writes() {
        checkActive();
        return writes;
    }

    /** The table of {@code type}, or null when this transaction's schema has no such type. */
    @Nullable
    RecordTable tableOrNull(String type) {
        checkActive();
        return knows(type) ? table(type) : null;
    }

    /** The connection in a real transaction (for {@link JdbcRollupTotals}' reads of locked rows). */
    DSLContext writer() {
        checkActive();
        return conn.writer();
    }

    /** The relation ids of each record, by record id and relation field, in stored order. */
    private Map<UUID, Map<String, List<UUID>>> links(RecordTable t, Collection<UUID> ids) {
        if (t.links().isEmpty() || ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Map<String, List<UUID>>> out = new HashMap<>();
        for (RecordTable.Link link : t.links().values()) {
            for (org.jooq.Record2<UUID, UUID> r : dsl().select(link.recordId(), link.targetId()).from(link.table())
                    .where(link.recordId().in(ids)).orderBy(link.recordId(), link.ordinal()).fetch()) {
                out.computeIfAbsent(r.value1(), k -> new HashMap<>())
                        .computeIfAbsent(link.field().name(), k -> new ArrayList<>()).add(r.value2());
            }
        }
        return out;
    }

    private QuerySql sql(RecordTable t, ResolvedPaths paths) {
        return conn.sql(t, paths);
    }

    @Override
    public List<Record> query(String type, StorageQuery query) {
        checkActive();
        if (!knows(type)) {
            return List.of();
        }
        flush();
        RecordTable t = table(type);
        try {
            QuerySql q = sql(t, query.paths());
            Condition where = q.condition(query.filter()).and(QuerySql.deleted(t, query.deleted()));
            if (query.after() != null) {
                where = where.and(q.after(query.sorts(), query.after()));
            }
            var orderBy = q.orderBy(query.sorts());
            List<org.jooq.Record> rows = new ArrayList<>(dsl().select(t.selectList()).from(q.from()).where(where)
                    .orderBy(orderBy).limit(query.limit()).fetch());
            Map<UUID, Map<String, List<UUID>>> links = links(t, rows.stream().map(r -> r.get(t.id)).toList());
            List<Record> out = new ArrayList<>(rows.size());
            for (org.jooq.Record r : rows) {
                out.add(t.toRecord(r, links.getOrDefault(r.get(t.id), Map.of())));
            }
            return out;
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, null, "querying " + type);
        }
    }

    @Override
    public long count(String type, ResolvedFilter filter, Query.Deleted deleted) {
        checkActive();
        if (!knows(type)) {
            return 0;
        }
        flush();
        RecordTable t = table(type);
        try {
            QuerySql q = sql(t, filter.paths());
            Condition where = q.condition(filter.filter()).and(QuerySql.deleted(t, deleted));
            Long n = dsl().selectCount().from(q.from()).where(where).fetchOne(0, Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, null, "counting " + type);
        }
    }

    @Override
    public List<AggregateRow> aggregate(String type, ResolvedFilter filter, List<String> groupBy,
            List<Metric> metrics) {
        checkActive();
        flush();
        RecordTable t = table(type);
        try {
            return new AggregateSql(sql(t, filter.paths()), t).fetch(dsl(), filter.filter(), groupBy, metrics);
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, null, "aggregating " + type);
        }
    }

    // ---- writes -------------------------------------------------------------------------------------------

    @Override
    public void insert(Record record) {
        checkActive();
        writes.insert(record);
    }

    @Override
    public void update(Record record, long expectedVersion) {
        checkActive();
        writes.update(record, expectedVersion);
    }

    @Override
    public void update(Record record, Record before) {
        checkActive();
        writes.update(record, before);
    }

    @Override
    public void purge(String type, UUID id, long expectedVersion) {
        checkActive();
        writes.purge(type, id, expectedVersion);
        mergeLinks.purged(id);
    }

    @Override
    public void insertAll(List<Record> records) {
        checkActive();
        writes.insertAll(records);
    }

    // ---- imports ------------------------------------------------------------------------------------------

    @Override
    public Map<Long, UUID> importedRows(ImportKey key) {
        checkActive();
        return imports.importedRows(key);
    }

    @Override
    public Map<Long, UUID> importedRows(ImportKey key, long fromRow, long toRow) {
        checkActive();
        return imports.importedRows(key, fromRow, toRow);
    }

    @Override
    public void recordImported(ImportKey key, Map<Long, UUID> rows) {
        checkActive();
        imports.recordImported(key, rows);
    }

    // ---- merge links -------------------------------------------------------------------------------------

    @Override
    public void linkMerged(String objectType, UUID id, @Nullable UUID survivorId) {
        checkActive();
        mergeLinks.link(objectType, id, survivorId);
    }

    @Override
    public Optional<UUID> mergedInto(String objectType, UUID id) {
        checkActive();
        return mergeLinks.survivorOf(objectType, id);
    }

    // ---- change log and commit ----------------------------------------------------------------------------

    @Override
    public void appendChange(ChangeLogEntry entry) {
        checkActive();
        log.append(entry, null);
    }

    @Override
    public void appendChange(ChangeLogEntry entry, org.crmkit.storage.spi.ChangeSealing sealing) {
        checkActive();
        log.append(entry, java.util.Objects.requireNonNull(sealing, "sealing"));
    }

    @Override
    public boolean reportSequencing(org.crmkit.storage.spi.CommitSequencing sequencing) {
        log.report(sequencing);
        return true;
    }

    @Override
    public java.util.Optional<org.crmkit.storage.spi.HostTransaction> joinedHost() {
        return java.util.Optional.ofNullable(conn.host());
    }

    @Override
    public List<ChangeLogEntry> commit() {
        checkActive();
        try {
            if (!schema.isEmpty()) {
                schema.commit();
            }
            List<ChangeLogEntry> entries = schema.isEmpty() ? log.writeWithSoleUpdate() : null;
            if (entries == null) {
                flush();
                entries = log.write();
            }
            if (!atCommit.isEmpty()) {
                // alone in autocommit when nothing else was written, except where writers are serialized (H2): there
                // writes take the write lock
                DSLContext d = !conn.writing() && atCommit.size() == 1 && !store.database().serializesWriters()
                        ? dsl() : conn.writer();
                for (Consumer<DSLContext> statement : atCommit) {
                    statement.accept(d);
                }
            }
            try {
                conn.commit();
            } catch (SQLException e) {
                // the connection may have broken after the database committed: commitFailed says so
                RuntimeException failed = store.errors().commitFailed(e, log.lastTarget());
                rollback();
                throw failed;
            }
            done = true;
            SchemaSnapshot adopted = schema.last();
            if (adopted != null) {
                store.adopt(adopted);
            }
            return entries;
        } catch (RuntimeException e) {
            rollback();
            throw store.errors().map(e, null, log.lastTarget(), "committing");
        } finally {
            conn.release();
        }
    }

    @Override
    public void rollback() {
        done = true;
        log.clear();
        schema.clear();
        writes.clear();
        atCommit.clear();
        conn.rollback();
        conn.release();
    }

    @Override
    public void close() {
        if (!done) {
            rollback();
        }
    }
}
