package org.crmkit.storage.jdbc.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.error.ConflictException;
import org.crmkit.error.CrmException;
import org.crmkit.error.ErrorCode;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.SchemaException;
import org.crmkit.error.StorageException;
import org.crmkit.error.ValidationException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.query.AggregateRow;
import org.crmkit.query.Filter;
import org.crmkit.query.Metric;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.ImportKey;
import org.crmkit.storage.spi.ResolvedPath;
import org.crmkit.storage.spi.StorageQuery;
import org.crmkit.storage.spi.StorageTransaction;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * One transaction on a {@link JdbcStore}. It takes a pooled connection on first use and stays in autocommit
 * mode while it only reads (a read-only transaction costs no BEGIN or COMMIT round trip); the first write
 * switches the connection to a real transaction at READ COMMITTED. Record writes are buffered and sent when
 * the transaction next queries, and at {@link #commit()} ({@code UPDATE ... WHERE id = ? AND version = ?}: zero
 * rows means someone else committed first), so no row lock is held while the caller's code runs and, as in
 * memory, the first transaction to commit wins. {@link #find} sees the buffered writes. Change-log entries and
 * schema changes are written at commit, where the {@code change_log} lock row hands out sequences so they follow
 * commit order.
 */
public final class JdbcTransaction implements StorageTransaction {
    private record SchemaStep(SchemaChange change, SchemaSnapshot previous, SchemaSnapshot next,
            SchemaChangeEntry entry) {}

    /**
     * A buffered record write: insert (expected version 0), update (with the stored state it replaces, when known),
     * or purge (record null).
     */
    private record Write(String type, UUID id, @Nullable Record record, long expectedVersion, boolean insert,
            @Nullable Record before) {}

    private final JdbcStore store;
    private final SystemTables sys;
    private JdbcStore.SchemaState state;
    private @Nullable Connection connection;
    private @Nullable DSLContext dsl;
    private boolean writing;
    private boolean holdsWriteLock;
    private boolean done;
    private final List<SchemaStep> schemaSteps = new ArrayList<>();
    private final List<ChangeLogEntry> staged = new ArrayList<>();
    private final List<Write> writes = new ArrayList<>();
    /** The newest buffered state of each written record (null value: purged). */
    private final Map<UUID, @Nullable Record> overlay = new HashMap<>();
    /** Statements of the job queue for the end of the transaction ({@link #atCommit}). */
    private final List<java.util.function.Consumer<DSLContext>> atCommit = new ArrayList<>();

    JdbcTransaction(JdbcStore store) {
        this.store = store;
        this.sys = store.sys();
        this.state = store.schemaState();
    }

    private void checkActive() {
        store.checkOpen();
        if (done) {
            throw new CrmException(ErrorCode.CLOSED, "transaction already ended");
        }
    }

    private DSLContext dsl() {
        if (dsl == null) {
            connection = store.connection();
            dsl = store.dsl(connection);
            if (schemaSteps.isEmpty()) {
                try {
                    state = store.schemaGuard().current(dsl);
                } catch (RuntimeException e) {
                    throw store.errors().map(e, null, null, "reading the schema version");
                }
            }
        }
        return dsl;
    }

    @Override
    public long schemaVersion() {
        checkActive();
        return schema().snapshot().version();
    }

    /** The schema this transaction works with, checked against the committed version when it takes its connection. */
    private JdbcStore.SchemaState schema() {
        dsl();
        return state;
    }

    /**
     * The connection in a real transaction, for writing. On H2 a writing transaction first takes the store's write
     * lock (held until it ends) and the {@code change_log} lock row, so H2 writes one transaction at a time: H2
     * 2.5's MVCC lets concurrent writers of one row lose updates now and then (two
     * {@code UPDATE ... WHERE id = ? AND version = ?} both succeeding, or two transactions reading the same lock
     * counter), which plain JDBC with 16 writers shows, while one writer at a time never did. The lock row also
     * orders writers of two storages on one H2 file. PostgreSQL and MariaDB write concurrently.
     */
    private DSLContext writer() {
        DSLContext d = dsl();
        if (!writing) {
            if (store.dialect() == Dialect.H2) {
                store.lockH2Writes();
                holdsWriteLock = true;
            }
            try {
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                throw store.errors().storage("starting a transaction", e);
            }
            writing = true;
            if (store.dialect() == Dialect.H2) {
                lock(SystemTables.CHANGE_LOG_LOCK);
            }
        }
        return d;
    }

    /**
     * The transaction's connection, switched to a real transaction, for the job queue and documents of the same
     * storage ({@link JdbcJobQueue}, {@link JdbcDocuments}): what they write there commits or rolls back with it.
     */
    DSLContext joined(JdbcStore owner) {
        checkActive();
        if (owner != store) {
            throw new IllegalArgumentException("a transaction of another storage");
        }
        return writer();
    }

    /**
     * Runs {@code statement} at commit, after every other write: when the transaction wrote nothing else it runs alone
     * in autocommit mode (one round trip, as a job completion on its own needs), else inside the transaction just
     * before COMMIT. A throw fails the commit and rolls everything back.
     */
    void atCommit(JdbcStore owner, java.util.function.Consumer<DSLContext> statement) {
        checkActive();
        if (owner != store) {
            throw new IllegalArgumentException("a transaction of another storage");
        }
        atCommit.add(statement);
    }

    private RecordTable table(String type) {
        return store.table(schema(), type);
    }

    private boolean knows(String type) {
        return schema().snapshot().findObjectType(type).isPresent();
    }

    // ---- schema -------------------------------------------------------------------------------------------

    @Override
    public void applySchemaChange(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {
        checkActive();
        if (next.version() != state.snapshot().version() + 1) {
            throw concurrent(change);
        }
        schemaSteps.add(new SchemaStep(change, state.snapshot(), next, entry));
        state = new JdbcStore.SchemaState(next, Map.of());
    }

    private static SchemaException concurrent(SchemaChange change) {
        return new SchemaException(SchemaException.Problem.CONCURRENT_CHANGE, change.objectType(), null,
                "another schema change was applied first; reload and retry");
    }

    /** Takes a lock row until the transaction ends; other nodes wait here. */
    private void lock(String name) {
        writer().select(sys.counter).from(sys.lock).where(sys.lockName.eq(name)).forUpdate().fetch();
    }

    private long committedSchemaVersion() {
        return SchemaVersionGuard.committedVersion(sys, dsl());
    }

    private void commitSchema() {
        if (!store.dialect().transactionalDdl() && store.hasPendingSchemaChanges()) {
            // a change cut off by a crash: finish it in a transaction of its own, so the repair stays even when
            // this change then fails with CONCURRENT_CHANGE (it was planned against the older version)
            store.repairPendingSchemaChanges();
        }
        lock(SystemTables.SCHEMA_LOCK);
        if (schemaSteps.get(0).next().version() != committedSchemaVersion() + 1) {
            throw concurrent(schemaSteps.get(0).change());
        }
        if (store.dialect().transactionalDdl()) {
            for (SchemaStep s : schemaSteps) {
                store.ddl().apply(dsl(), s.change(), s.next());
                recordHistory(s.entry(), s.previous(), s.next());
            }
            return;
        }
        // H2 and MariaDB commit around DDL: write a redo row first, so a crash before our commit is repaired
        try (Connection ddlConnection = store.connection()) {
            DSLContext ddl = store.dsl(ddlConnection);
            for (SchemaStep s : schemaSteps) {
                ddl.insertInto(sys.schemaPending).set(sys.schemaVersion, s.next().version())
                        .set(sys.createdAt, RecordTable.utc(s.entry().at())).set(sys.principalId, s.entry().principalId())
                        .set(sys.changeJson, store.json().writeSchemaChange(s.change()))
                        .set(sys.snapshotJson, store.json().writeSnapshot(s.next())).execute();
            }
            try {
                for (SchemaStep s : schemaSteps) {
                    store.ddl().apply(ddl, s.change(), s.next());
                }
            } catch (RuntimeException e) {
                ddl.deleteFrom(sys.schemaPending).where(sys.schemaVersion.in(versions())).execute();
                throw e;
            }
        } catch (SQLException e) {
            throw store.errors().storage("schema change", e);
        }
        for (SchemaStep s : schemaSteps) {
            recordHistory(s.entry(), s.previous(), s.next());
        }
        dsl().deleteFrom(sys.schemaPending).where(sys.schemaVersion.in(versions())).execute();
    }

    private List<Long> versions() {
        return schemaSteps.stream().map(s -> s.next().version()).toList();
    }

    private void recordHistory(SchemaChangeEntry entry, @Nullable SchemaSnapshot previous, SchemaSnapshot next) {
        store.history().record(writer(), entry, previous, next);
    }

    /** See {@link JdbcStore#repairPendingSchemaChanges()}; the caller holds or takes the schema lock. */
    int repairPending() {
        checkActive();
        lock(SystemTables.SCHEMA_LOCK);
        List<JdbcStore.Pending> pending = store.pending(dsl());
        if (pending.isEmpty()) {
            return 0;
        }
        long current = committedSchemaVersion();
        int repaired = 0;
        for (JdbcStore.Pending p : pending) {
            if (p.version() == current + 1) {
                try (Connection ddlConnection = store.connection()) {
                    store.ddl().apply(store.dsl(ddlConnection), p.change(), p.next());
                } catch (SQLException e) {
                    throw store.errors().storage("repairing schema change " + p.version(), e);
                }
                recordHistory(new SchemaChangeEntry(p.version(), p.createdAt(), p.principalId(), p.change()),
                        null, p.next());
                current++;
                repaired++;
            } else if (p.version() > current + 1) {
                throw new StorageException("schema redo log holds version " + p.version() + " but the schema is at "
                        + current + "; the metadata tables were changed by hand");
            }
            dsl().deleteFrom(sys.schemaPending).where(sys.schemaVersion.eq(p.version())).execute();
        }
        return repaired;
    }

    // ---- reads --------------------------------------------------------------------------------------------

    @Override
    public Optional<Record> find(String type, UUID id) {
        checkActive();
        if (!knows(type)) {
            return Optional.empty();
        }
        if (overlay.containsKey(id)) {
            return Optional.ofNullable(overlay.get(id)).filter(r -> r.type().equals(type));
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

    private QuerySql sql(RecordTable t) {
        JdbcStore.SchemaState s = state;
        return new QuerySql(s.snapshot(), name -> store.table(s, name), store.dialect(), t);
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
            QuerySql q = sql(t);
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
    public long count(String type, Filter filter, Query.Deleted deleted) {
        checkActive();
        if (!knows(type)) {
            return 0;
        }
        flush();
        RecordTable t = table(type);
        try {
            QuerySql q = sql(t);
            Condition where = q.condition(filter).and(QuerySql.deleted(t, deleted));
            Long n = dsl().selectCount().from(q.from()).where(where).fetchOne(0, Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, null, "counting " + type);
        }
    }

    @Override
    public List<AggregateRow> aggregate(String type, Filter filter, List<String> groupBy, List<Metric> metrics) {
        checkActive();
        flush();
        RecordTable t = table(type);
        try {
            QuerySql q = sql(t);
            List<ResolvedPath> groupPaths = groupBy.stream().map(q::resolve).toList();
            List<org.jooq.Field<Object>> groups = groupPaths.stream().map(q::value).toList();
            List<SelectFieldOrAsterisk> select = new ArrayList<>(groups);
            select.add(DSL.count());
            List<@Nullable ResolvedPath> metricPaths = new ArrayList<>();
            for (Metric m : metrics) {
                ResolvedPath p = m.field() == null ? null : q.resolve(m.field());
                metricPaths.add(p);
                org.jooq.Field<Object> v = p == null ? null : q.value(p);
                select.add(switch (m.function()) {
                    case COUNT -> v == null ? DSL.count() : DSL.count(v);
                    case SUM -> DSL.sum(numeric(v));
                    case MIN -> DSL.min(v);
                    case MAX -> DSL.max(v);
                    case AVG -> throw new IllegalArgumentException("AVG is computed by the service layer");
                });
            }
            Condition where = q.condition(filter).and(QuerySql.deleted(t, Query.Deleted.EXCLUDE));
            var from = q.from();
            List<org.jooq.Record> rows = groups.isEmpty()
                    ? dsl().select(select).from(from).where(where).fetch()
                    : dsl().select(select).from(from).where(where).groupBy(groups)
                            .orderBy(groups.stream().map(g -> g.asc().nullsLast()).toList()).fetch();
            List<AggregateRow> out = new ArrayList<>();
            for (org.jooq.Record r : rows) {
                List<@Nullable Object> key = new ArrayList<>();
                for (int i = 0; i < groups.size(); i++) {
                    key.add(RecordTable.fromColumn(groupPaths.get(i).valueType(), r.get(i)));
                }
                long count = ((Number) r.get(groups.size())).longValue();
                Map<Metric, @Nullable Object> values = new LinkedHashMap<>();
                for (int i = 0; i < metrics.size(); i++) {
                    values.put(metrics.get(i), metricValue(metrics.get(i), metricPaths.get(i),
                            r.get(groups.size() + 1 + i)));
                }
                out.add(new AggregateRow(key, count, values));
            }
            return out;
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, null, "aggregating " + type);
        }
    }

    @SuppressWarnings("unchecked")
    private static org.jooq.Field<? extends Number> numeric(org.jooq.Field<Object> v) {
        return (org.jooq.Field<? extends Number>) (org.jooq.Field<?>) v;
    }

    private static @Nullable Object metricValue(Metric m, @Nullable ResolvedPath path, @Nullable Object v) {
        if (v == null) {
            return null;
        }
        return switch (m.function()) {
            case COUNT -> ((Number) v).longValue();
            // exact: SUM of a bigint column is a decimal on every database (integer sums have scale 0)
            case SUM -> path != null && path.valueType() == FieldType.INTEGER ? decimal(v).setScale(0)
                    : decimal(v);
            default -> RecordTable.fromColumn(path.valueType(), v);
        };
    }

    private static BigDecimal decimal(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

    // ---- writes -------------------------------------------------------------------------------------------

    @Override
    public void insert(Record record) {
        checkActive();
        if (overlay.get(record.id()) != null) {
            throw new ConflictException(record.type(), record.id(), 0, overlay.get(record.id()).version());
        }
        buffer(new Write(record.type(), record.id(), record, 0, true, null));
    }

    @Override
    public void update(Record record, long expectedVersion) {
        checkActive();
        buffer(new Write(record.type(), record.id(), record, expectedVersion, false, null));
    }

    @Override
    public void update(Record record, Record before) {
        checkActive();
        buffer(new Write(record.type(), record.id(), record, before.version(), false, before));
    }

    @Override
    public void purge(String type, UUID id, long expectedVersion) {
        checkActive();
        buffer(new Write(type, id, null, expectedVersion, false, null));
    }

    private void buffer(Write w) {
        RecordTable t = table(w.type());
        if (w.record() != null) {
            SchemaVersionGuard.checkFields(t, w.record());
        }
        writes.add(w);
        overlay.put(w.id(), w.record());
    }

    /** Sends the buffered record writes, in order. */
    private void flush() {
        if (writes.isEmpty()) {
            return;
        }
        List<Write> todo = List.copyOf(writes);
        writes.clear();
        for (Write w : todo) {
            if (w.insert()) {
                insertNow(w.record());
            } else if (w.record() != null) {
                updateNow(w.record(), w.expectedVersion(), w.before());
            } else {
                purgeNow(w.type(), w.id(), w.expectedVersion());
            }
        }
    }

    private void insertNow(Record record) {
        RecordTable t = table(record.type());
        SqlErrors.Target target = new SqlErrors.Target(record.type(), record.id(), 0);
        try {
            checkUnique(t, record, null);
            lockReferenced(t, record, null);
            writer().insertInto(t.table()).set(t.row(record)).execute();
            insertLinks(t, record);
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, target, "inserting " + record.type() + " " + record.id());
        }
    }

    @Override
    public void insertAll(List<Record> records) {
        checkActive();
        flush();
        Map<String, List<Record>> byType = new LinkedHashMap<>();
        for (Record r : records) {
            byType.computeIfAbsent(r.type(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Record>> e : byType.entrySet()) {
            RecordTable t = table(e.getKey());
            try {
                for (Record r : e.getValue()) {
                    SchemaVersionGuard.checkFields(t, r);
                    checkUnique(t, r, null);
                }
                List<org.jooq.Field<?>> columns = t.selectList();
                BatchBindStep batch = writer().batch(writer().insertInto(t.table(), columns)
                        .values(java.util.Collections.nCopies(columns.size(), (Object) null)));
                for (Record r : e.getValue()) {
                    batch = batch.bind(t.row(r).values().toArray());
                }
                batch.execute();
                for (Record r : e.getValue()) {
                    insertLinks(t, r);
                }
            } catch (RuntimeException ex) {
                throw store.errors().map(ex, t, null, "inserting " + e.getValue().size() + " " + e.getKey()
                        + " records");
            }
        }
    }

    /**
     * {@code UPDATE ... WHERE id = ? AND version = ?}: of every column, or, when the stored state it replaces is
     * known, of the columns that changed (fewer values to send, and no index touched for an unchanged column).
     */
    private void updateNow(Record record, long expectedVersion, @Nullable Record before) {
        RecordTable t = table(record.type());
        SqlErrors.Target target = new SqlErrors.Target(record.type(), record.id(), expectedVersion);
        try {
            checkUnique(t, record, before);
            lockReferenced(t, record, before);
            int n = writer().update(t.table()).set(changedColumns(t, record, before)).where(t.id.eq(record.id()))
                    .and(t.version.eq(expectedVersion)).execute();
            if (n == 0) {
                throw missed(t, record.type(), record.id(), expectedVersion);
            }
            writeLinks(t, record, before, true);
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, target, "updating " + record.type() + " " + record.id());
        }
    }

    private void purgeNow(String type, UUID id, long expectedVersion) {
        RecordTable t = table(type);
        SqlErrors.Target target = new SqlErrors.Target(type, id, expectedVersion);
        try {
            for (RecordTable.Link link : t.links().values()) {
                writer().deleteFrom(link.table()).where(link.recordId().eq(id)).execute();
            }
            int n = writer().deleteFrom(t.table()).where(t.id.eq(id)).and(t.version.eq(expectedVersion)).execute();
            if (n == 0) {
                throw missed(t, type, id, expectedVersion);
            }
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, target, "purging " + type + " " + id);
        }
    }

    /** Why a versioned write touched no row: the record is gone, or at another version. */
    private RuntimeException missed(RecordTable t, String type, UUID id, long expected) {
        Long actual = dsl().select(t.version).from(t.table()).where(t.id.eq(id)).fetchOne(t.version);
        return actual == null ? new NotFoundException(type, id) : new ConflictException(type, id, expected, actual);
    }

    /**
     * On H2, locks the records a write references: H2 checks foreign keys against its snapshot without locking, so
     * a concurrent purge of the target could otherwise commit beside the new reference. PostgreSQL and MariaDB
     * lock the referenced row in the foreign-key check themselves.
     */
    private void lockReferenced(RecordTable t, Record record, @Nullable Record before) {
        if (store.dialect() != Dialect.H2) {
            return;
        }
        for (Field f : t.type().fields()) {
            if (f.type() == FieldType.REFERENCE && record.get(f.name()) instanceof UUID target
                    && (before == null || !target.equals(before.get(f.name())))) {
                RecordTable tt = table(java.util.Objects.requireNonNull(f.target()));
                if (writer().select(tt.id).from(tt.table()).where(tt.id.eq(target)).forUpdate().fetch().isEmpty()) {
                    throw new ValidationException(record.type(), List.of(new FieldError(f.name(),
                            FieldErrorCode.INVALID_REFERENCE, f.target() + " " + target + " does not exist")));
                }
            }
        }
    }

    /**
     * Reports every unique value of the record another record holds (the unique index is the backstop); values
     * unchanged from {@code before} are not looked up again.
     */
    private void checkUnique(RecordTable t, Record record, @Nullable Record before) {
        List<FieldError> errors = new ArrayList<>();
        for (Field f : t.type().fields()) {
            Object v = f.unique() ? record.get(f.name()) : null;
            if (v != null && before != null && v.equals(before.get(f.name()))) {
                continue;
            }
            List<RecordTable.Column> cs = v == null ? List.of() : t.columnsOf(f.name());
            if (cs.isEmpty()) {
                continue;
            }
            RecordTable.Column c = cs.get(0);
            Object columnValue = v instanceof org.crmkit.record.Money m ? m.amount() : RecordTable.columnValue(v);
            boolean taken = dsl().fetchExists(dsl().selectOne().from(t.table())
                    .where(c.column().eq(DSL.val(columnValue, c.column().getDataType())))
                    .and(t.id.ne(record.id())));
            if (taken) {
                errors.add(new FieldError(f.name(), FieldErrorCode.NOT_UNIQUE, "another " + record.type()
                        + " already has " + f.name() + " '" + v + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(record.type(), errors);
        }
    }

    /** Writes every link row of a new record. */
    private void insertLinks(RecordTable t, Record record) {
        writeLinks(t, record, null, false);
    }

    /**
     * Writes the link rows of each relation: for a new record all of them; for an update, the relations that
     * changed since {@code before} are replaced (all of them when {@code before} is not known).
     */
    private void writeLinks(RecordTable t, Record record, @Nullable Record before, boolean update) {
        for (RecordTable.Link link : t.links().values()) {
            List<UUID> ids = record.getList(link.field().name());
            if (update && before != null && ids.equals(before.getList(link.field().name()))) {
                continue;
            }
            if (update) {
                writer().deleteFrom(link.table()).where(link.recordId().eq(record.id())).execute();
            }
            if (ids.isEmpty()) {
                continue;
            }
            var insert = writer().insertInto(link.table(), link.recordId(), link.targetId(), link.ordinal());
            for (int i = 0; i < ids.size(); i++) {
                insert = insert.values(record.id(), ids.get(i), i);
            }
            insert.execute();
        }
    }

    // ---- imports ------------------------------------------------------------------------------------------

    @Override
    public Map<Long, UUID> importedRows(ImportKey key) {
        checkActive();
        Map<Long, UUID> out = new HashMap<>();
        for (var r : dsl().select(sys.rowNo, sys.recordId).from(sys.imports).where(importOf(key)).fetch()) {
            out.put(r.value1(), r.value2());
        }
        return out;
    }

    /** The ledger rows of one import: its principal, type and id. */
    private org.jooq.Condition importOf(ImportKey key) {
        return sys.principalId.eq(key.principalId()).and(sys.objectType.eq(key.objectType()))
                .and(sys.importId.eq(key.importId()));
    }

    @Override
    public void recordImported(ImportKey key, Map<Long, UUID> rows) {
        checkActive();
        if (rows.isEmpty()) {
            return;
        }
        BatchBindStep batch = writer().batch(writer().insertInto(sys.imports, sys.principalId, sys.objectType,
                sys.importId, sys.rowNo, sys.recordId).values((String) null, null, null, null, null));
        for (Map.Entry<Long, UUID> e : rows.entrySet()) {
            batch = batch.bind(key.principalId(), key.objectType(), key.importId(), e.getKey(), e.getValue());
        }
        try {
            batch.execute();
        } catch (RuntimeException e) {
            if (store.dialect().isUniqueViolation(java.util.Objects.requireNonNullElse(SqlErrors.sqlCause(e),
                    new SQLException()))) {
                UUID any = rows.values().iterator().next();
                throw new ConflictException("import " + key.importId(), any, 0, -1);
            }
            throw store.errors().map(e, null, null, "recording import " + key.importId());
        }
    }

    // ---- change log and commit ----------------------------------------------------------------------------

    @Override
    public void appendChange(ChangeLogEntry entry) {
        checkActive();
        staged.add(entry);
    }

    /**
     * On PostgreSQL, a transaction whose only write is one update of a record known before (the common
     * {@code update(id, version, changes)}) is sent as a single statement, so that the commit costs two round trips
     * as a plain UPDATE does:
     *
     * <pre>
     * WITH r AS (UPDATE record SET ... WHERE id = ? AND version = ? RETURNING id),
     *      s AS (UPDATE crmkit_lock SET counter = counter + n WHERE name = 'change_log'
     *            AND EXISTS (SELECT 1 FROM r) RETURNING counter)
     * INSERT INTO crmkit_change_log (...) SELECT s.counter - n + 1, ... FROM s UNION ALL ... RETURNING seq
     * </pre>
     *
     * {@code s} reads {@code r}, so the record's row is locked before the lock row, in the same order as the
     * general path (no deadlock between the two). No row comes back when the record was not at the version: then
     * nothing was written, and the usual conflict is thrown. Returns null when the transaction does not qualify.
     */
    private @Nullable List<ChangeLogEntry> commitOneUpdate() {
        if (store.dialect() != Dialect.POSTGRES || writes.size() != 1 || staged.isEmpty()
                || staged.size() > SINGLE_INSERT_ENTRIES) {
            return null;
        }
        Write w = writes.get(0);
        Record record = w.record();
        Record before = w.before();
        if (w.insert() || record == null || before == null) {
            return null;
        }
        RecordTable t = table(record.type());
        for (RecordTable.Link link : t.links().values()) {
            if (!record.getList(link.field().name()).equals(before.getList(link.field().name()))) {
                return null; // link rows to write: the general path
            }
        }
        SqlErrors.Target target = new SqlErrors.Target(record.type(), record.id(), w.expectedVersion());
        try {
            checkUnique(t, record, before);
            DSLContext d = writer();
            var r = DSL.name("r").fields("id").as(d.update(t.table()).set(changedColumns(t, record, before))
                    .where(t.id.eq(record.id())).and(t.version.eq(w.expectedVersion())).returningResult(t.id));
            int n = staged.size();
            var s = DSL.name("s").fields("c").as(d.update(sys.lock).set(sys.counter, sys.counter.plus(n))
                    .where(sys.lockName.eq(SystemTables.CHANGE_LOG_LOCK)).and(DSL.exists(DSL.selectOne().from(r)))
                    .returningResult(sys.counter));
            org.jooq.Field<Long> c = DSL.field(DSL.name("s", "c"), SQLDataType.BIGINT);
            org.jooq.Select<org.jooq.Record9<Long, UUID, java.time.LocalDateTime, String, String, UUID, String, Long,
                    String>> rows = null;
            for (int i = 0; i < n; i++) {
                ChangeLogEntry e = staged.get(i);
                var row = DSL.select(c.minus(n - 1 - i), DSL.val(e.transactionId(), sys.txId),
                        DSL.val(RecordTable.utc(e.at()), sys.occurredAt), DSL.val(e.principalId(), sys.principalId),
                        DSL.val(e.objectType(), sys.objectType), DSL.val(e.recordId(), sys.recordId),
                        DSL.val(e.operation().name(), sys.operation), DSL.val(e.version(), sys.recordVersion),
                        DSL.val(store.json().writeChanges(e.changes()), sys.changesJson)).from(s);
                rows = rows == null ? row : rows.unionAll(row);
            }
            List<Long> seqs = d.with(r, s).insertInto(sys.changeLog, sys.seq, sys.txId, sys.occurredAt,
                            sys.principalId, sys.objectType, sys.recordId, sys.operation, sys.recordVersion,
                            sys.changesJson)
                    .select(java.util.Objects.requireNonNull(rows)).returningResult(sys.seq).fetch(sys.seq);
            if (seqs.isEmpty()) {
                throw missed(t, record.type(), record.id(), w.expectedVersion());
            }
            long last = java.util.Collections.max(seqs);
            writes.clear();
            List<ChangeLogEntry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ChangeLogEntry e = staged.get(i);
                out.add(new ChangeLogEntry(last - n + 1 + i, e.at(), e.principalId(), e.objectType(), e.recordId(),
                        e.operation(), e.version(), e.changes(), e.transactionId()));
            }
            return out;
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, target, "updating " + record.type() + " " + record.id());
        }
    }

    /** The columns an update sets: those whose value differs from {@code before}, and the version. */
    private static Map<org.jooq.Field<?>, @Nullable Object> changedColumns(RecordTable t, Record record,
            @Nullable Record before) {
        Map<org.jooq.Field<?>, @Nullable Object> row = t.row(record);
        row.remove(t.id);
        if (before != null) {
            Map<org.jooq.Field<?>, @Nullable Object> old = t.row(before);
            row.entrySet().removeIf(e -> e.getKey() != t.version
                    && java.util.Objects.equals(e.getValue(), old.get(e.getKey())));
        }
        return row;
    }

    /** Up to this many entries go in one multi-row INSERT; more go as a JDBC batch. */
    private static final int SINGLE_INSERT_ENTRIES = 32;

    /**
     * Writes the staged entries with sequences from the change_log lock row, held until commit: on PostgreSQL one
     * {@code UPDATE ... RETURNING} for the sequences (an UPDATE and a SELECT elsewhere), then the rows in one INSERT,
     * or in a batch for a big transaction such as an import batch.
     */
    private List<ChangeLogEntry> writeLog() {
        if (staged.isEmpty()) {
            return List.of();
        }
        DSLContext w = writer();
        var take = w.update(sys.lock).set(sys.counter, sys.counter.plus(staged.size()))
                .where(sys.lockName.eq(SystemTables.CHANGE_LOG_LOCK));
        long last;
        if (store.dialect() == Dialect.POSTGRES) {
            last = take.returningResult(sys.counter).fetchOne(sys.counter);
        } else {
            // MariaDB cannot return from an UPDATE; H2's SELECT FROM FINAL TABLE (UPDATE ...) returned a counter
            // another writer had taken too, under load
            take.execute();
            last = w.select(sys.counter).from(sys.lock).where(sys.lockName.eq(SystemTables.CHANGE_LOG_LOCK))
                    .fetchOne(sys.counter);
        }
        long seq = last - staged.size();
        List<ChangeLogEntry> out = new ArrayList<>(staged.size());
        List<Object[]> rows = new ArrayList<>(staged.size());
        for (ChangeLogEntry e : staged) {
            seq++;
            out.add(new ChangeLogEntry(seq, e.at(), e.principalId(), e.objectType(), e.recordId(), e.operation(),
                    e.version(), e.changes(), e.transactionId()));
            rows.add(new Object[] {seq, e.transactionId(), RecordTable.utc(e.at()), e.principalId(), e.objectType(),
                    e.recordId(), e.operation().name(), e.version(), store.json().writeChanges(e.changes())});
        }
        var insert = w.insertInto(sys.changeLog, sys.seq, sys.txId, sys.occurredAt, sys.principalId,
                sys.objectType, sys.recordId, sys.operation, sys.recordVersion, sys.changesJson);
        if (rows.size() <= SINGLE_INSERT_ENTRIES) {
            var values = insert.values(java.util.Arrays.asList(rows.get(0)));
            for (int i = 1; i < rows.size(); i++) {
                values = values.values(java.util.Arrays.asList(rows.get(i)));
            }
            values.execute();
        } else {
            BatchBindStep batch = w.batch(insert.values((Long) null, null, null, null, null, null, null, null, null));
            for (Object[] row : rows) {
                batch = batch.bind(row);
            }
            batch.execute();
        }
        return out;
    }

    @Override
    public List<ChangeLogEntry> commit() {
        checkActive();
        try {
            if (!schemaSteps.isEmpty()) {
                commitSchema();
            }
            List<ChangeLogEntry> entries = schemaSteps.isEmpty() ? commitOneUpdate() : null;
            if (entries == null) {
                flush();
                entries = writeLog();
            }
            if (!atCommit.isEmpty()) {
                // alone in autocommit when nothing else was written, except on H2, where writes take the write lock
                DSLContext d = !writing && atCommit.size() == 1 && store.dialect() != Dialect.H2 ? dsl() : writer();
                for (java.util.function.Consumer<DSLContext> statement : atCommit) {
                    statement.accept(d);
                }
            }
            if (writing) {
                connection.commit();
            }
            done = true;
            if (!schemaSteps.isEmpty()) {
                store.adopt(schemaSteps.get(schemaSteps.size() - 1).next());
            }
            return entries;
        } catch (SQLException e) {
            rollback();
            throw store.errors().map(e, null, lastTarget(), "committing");
        } catch (RuntimeException e) {
            rollback();
            throw store.errors().map(e, null, lastTarget(), "committing");
        } finally {
            release();
        }
    }

    private SqlErrors.@Nullable Target lastTarget() {
        if (staged.isEmpty()) {
            return null;
        }
        ChangeLogEntry e = staged.get(staged.size() - 1);
        return new SqlErrors.Target(e.objectType(), e.recordId(), Math.max(0, e.version() - 1));
    }

    @Override
    public void rollback() {
        done = true;
        staged.clear();
        schemaSteps.clear();
        writes.clear();
        overlay.clear();
        atCommit.clear();
        if (connection != null && writing) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the connection is broken; closing it below hands it back to the pool, which discards it
            }
        }
        release();
    }

    private void release() {
        if (holdsWriteLock) {
            holdsWriteLock = false;
            store.unlockH2Writes();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing left to do with a connection that will not close
            }
            connection = null;
            dsl = null;
        }
    }

    @Override
    public void close() {
        if (!done) {
            rollback();
        }
    }
}
