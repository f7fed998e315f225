package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.crmkit.error.StorageException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;
import org.crmkit.storage.spi.ImportKey;
import org.crmkit.storage.spi.ImportedRow;
import org.crmkit.storage.spi.MergeLink;
import org.crmkit.storage.spi.StorageSnapshot;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * A consistent read-only view of a JDBC storage: one connection in one read-only transaction, at REPEATABLE READ on
 * PostgreSQL (a snapshot taken at the first statement) and MariaDB (InnoDB's consistent read view, established by the
 * first read, as {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} would), and at H2's SNAPSHOT level (its REPEATABLE
 * READ lets rows committed meanwhile appear). The first statement reads the last sequence, so every later read sees
 * exactly the commits up to it. Records, entries and rows are read by keyset pages.
 */
final class JdbcSnapshot implements StorageSnapshot {
    /** H2's own isolation level constant for SNAPSHOT ({@code org.h2.engine.Constants.TRANSACTION_SNAPSHOT}). */
    private static final int H2_SNAPSHOT = 6;

    private final JdbcStore store;
    private final SystemTables sys;
    private final JobTables docs;
    private final Connection connection;
    private final DSLContext dsl;
    private final boolean autoCommit;
    private final int isolation;
    private final boolean readOnly;
    private final long lastSequence;
    private final Optional<SchemaSnapshot> schema;

    private JdbcSnapshot(JdbcStore store, Connection c) throws SQLException {
        this.store = store;
        this.sys = store.sys();
        this.docs = new JobTables(store.naming());
        this.connection = c;
        this.autoCommit = c.getAutoCommit();
        this.isolation = c.getTransactionIsolation();
        this.readOnly = c.isReadOnly();
        c.setAutoCommit(false);
        c.setReadOnly(true);
        c.setTransactionIsolation(store.dialect() == Dialect.H2 ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ);
        this.dsl = store.dsl(c);
        Long max = dsl.select(DSL.max(sys.seq)).from(sys.changeLog).fetchOne(0, Long.class);
        this.lastSequence = max == null ? 0 : max;
        this.schema = store.history().loadCurrent(dsl);
    }

    static JdbcSnapshot open(JdbcStore store) {
        Connection c = store.connection();
        try {
            return new JdbcSnapshot(store, c);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the first failure is the one to report
            }
            throw e instanceof SQLException s ? store.errors().storage("opening a snapshot for a backup", s)
                    : store.errors().map((RuntimeException) e, null, null, "opening a snapshot for a backup");
        }
    }

    private <T> T read(String doing, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw store.errors().map(e, null, null, doing);
        }
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public Optional<SchemaSnapshot> schema() {
        return schema;
    }

    @Override
    public List<SchemaChangeEntry> schemaHistory() {
        return read("reading the schema history for a backup", () -> store.schemaHistory(dsl));
    }

    @Override
    public List<Record> records(String objectType, @Nullable UUID afterId, int limit) {
        SchemaSnapshot s = schema.orElseThrow(() -> new StorageException("no schema: no records of " + objectType));
        RecordTable t = new RecordTable(s.findObjectType(objectType).orElseThrow(
                () -> new StorageException("no object type " + objectType + " in the snapshot")), store.naming(),
                store.database());
        return read("reading " + objectType + " records for a backup", () -> {
            var rows = dsl.select(t.selectList()).from(t.table()).where(afterId == null ? DSL.noCondition()
                    : t.id.gt(afterId)).orderBy(t.id).limit(limit).fetch();
            List<UUID> ids = rows.stream().map(r -> r.get(t.id)).toList();
            Map<UUID, Map<String, List<UUID>>> links = links(t, ids);
            List<Record> out = new ArrayList<>(rows.size());
            for (org.jooq.Record r : rows) {
                out.add(t.toRecord(r, links.getOrDefault(r.get(t.id), Map.of())));
            }
            return out;
        });
    }

    private Map<UUID, Map<String, List<UUID>>> links(RecordTable t, List<UUID> ids) {
        Map<UUID, Map<String, List<UUID>>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (RecordTable.Link link : t.links().values()) {
            for (var r : dsl.select(link.recordId(), link.targetId()).from(link.table())
                    .where(link.recordId().in(ids)).orderBy(link.recordId(), link.ordinal()).fetch()) {
                out.computeIfAbsent(r.value1(), k -> new HashMap<>())
                        .computeIfAbsent(link.field().name(), k -> new ArrayList<>()).add(r.value2());
            }
        }
        return out;
    }

    @Override
    public List<ChangeLogEntry> changeLog(long afterSequence, int limit) {
        return read("reading the change log for a backup", () -> store.readChangeLog(dsl, afterSequence, limit));
    }

    /** The field changes as the {@code changes_json} column holds them, unparsed. */
    @Override
    public List<org.crmkit.storage.spi.StoredChanges> changeLogAsStored(long afterSequence, int limit) {
        return read("reading the change log for a backup",
                () -> store.readChangeLogAsStored(dsl, afterSequence, limit));
    }

    @Override
    public List<org.crmkit.storage.spi.ChangeSeal> changeSeals(long afterSequence, int limit) {
        return read("reading the change log's seals for a backup",
                () -> new JdbcSeals(store).read(dsl, afterSequence, limit));
    }

    @Override
    public List<StoredDocument> documents() {
        return read("reading documents for a backup", () -> dsl.select(docs.docKind, docs.docName, docs.docVersion,
                docs.docRevision, docs.docBody, docs.docPrincipal, docs.docSavedAt).from(docs.documentHistory)
                .orderBy(docs.docKind, docs.docRevision).fetch(r -> new StoredDocument(r.get(docs.docKind),
                        r.get(docs.docName), r.get(docs.docVersion), r.get(docs.docRevision), r.get(docs.docBody),
                        r.get(docs.docPrincipal), RecordTable.requiredInstant(r.get(docs.docSavedAt)))));
    }

    @Override
    public List<MergeLink> mergeLinks(@Nullable UUID afterId, int limit) {
        return read("reading merge links for a backup", () -> dsl.select(sys.recordId, sys.objectType, sys.survivorId)
                .from(sys.mergeLinks).where(afterId == null ? DSL.noCondition() : sys.recordId.gt(afterId))
                .orderBy(sys.recordId).limit(limit)
                .fetch(r -> new MergeLink(r.get(sys.objectType), r.get(sys.recordId), r.get(sys.survivorId))));
    }

    @Override
    public List<ImportedRow> importedRows(@Nullable ImportedRow after, int limit) {
        return read("reading the import ledger for a backup", () -> dsl.select(sys.principalId, sys.objectType,
                sys.importId, sys.rowNo, sys.recordId).from(sys.imports)
                .where(after == null ? DSL.noCondition()
                        : DSL.row(sys.principalId, sys.objectType, sys.importId, sys.rowNo).gt(after.key()
                                .principalId(), after.key().objectType(), after.key().importId(), after.row()))
                .orderBy(sys.principalId, sys.objectType, sys.importId, sys.rowNo).limit(limit)
                .fetch(r -> new ImportedRow(new ImportKey(r.get(sys.principalId), r.get(sys.objectType),
                        r.get(sys.importId)), r.get(sys.rowNo), r.get(sys.recordId))));
    }

    @Override
    public void close() {
        try {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
            connection.setReadOnly(readOnly);
            connection.setTransactionIsolation(isolation);
        } catch (SQLException e) {
            throw store.errors().storage("ending a backup's snapshot", e);
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing after a failure: the failure is reported
            }
        }
    }
}
