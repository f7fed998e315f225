package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.crmkit.error.BackupException;
import org.crmkit.error.SchemaException;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.crmkit.schema.ObjectType;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.crmkit.storage.spi.DocumentStore.StoredDocument;
import org.crmkit.storage.spi.ImportedRow;
import org.crmkit.storage.spi.MergeLink;
import org.crmkit.storage.spi.RestoreTarget;
import org.crmkit.storage.spi.StoredChanges;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Where a restore writes on SQL. The schema is created as pg_restore does it: every record table first without its
 * reference and relation fields, then those fields (their columns, foreign keys and link tables) once every table
 * exists, so types that refer to one another need no order; the history rows are written as they were, the newest
 * with the whole schema. Records, change-log entries, merge links and ledger rows are loaded in one transaction
 * per call, by {@link DatabaseStrategy#bulkRows()} ({@code COPY} on PostgreSQL, a JDBC batch elsewhere);
 * references are set in a second pass (the engine's), change-log rows keep their sequences (their field changes
 * stored as the archive's text) and the {@code change_log} counter is set after the last. The engine's two lanes may
 * call at once: each call has a connection of its own (on H2 under the writer lock). {@link #wipe} drops the record
 * tables (foreign keys first) and deletes the rows of the system tables a restore writes.
 */
final class JdbcRestoreTarget implements RestoreTarget {
    private final JdbcStore store;
    private final SystemTables sys;
    private final JobTables docs;
    private final org.jooq.Table<org.jooq.Record> summaries;
    private @Nullable SchemaSnapshot written;
    /** Whether {@link #writeSchema} dropped the secondary indexes, for {@link #finish} to build after the rows. */
    private boolean indexesDropped;
    private final Map<String, RecordTable> tables = new ConcurrentHashMap<>();

    JdbcRestoreTarget(JdbcStore store) {
        this.store = store;
        this.sys = store.sys();
        this.docs = new JobTables(store.naming());
        this.summaries = DSL.table(store.naming().system("summary"));
    }

    /** Runs {@code work} in one transaction on a connection of its own (under H2's writer lock). */
    private void inTransaction(String doing, Consumer<DSLContext> work) {
        boolean serial = store.database().serializesWriters();
        if (serial) {
            store.lockWrites();
        }
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                work.accept(store.dsl(c));
                c.commit();
            } catch (RuntimeException e) {
                c.rollback();
                throw store.errors().map(e, null, null, doing);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw store.errors().storage(doing, e);
        } finally {
            if (serial) {
                store.unlockWrites();
            }
        }
    }

    private Optional<SchemaSnapshot> stored(DSLContext dsl) {
        try {
            return store.history().loadCurrent(dsl);
        } catch (RuntimeException e) {
            return Optional.empty(); // half written by a failed restore: what it wrote is known ({@link #written})
        }
    }

    @Override
    public Contents contents() {
        return store.read("looking at what the storage holds", dsl -> {
            Map<String, Long> records = new HashMap<>();
            for (ObjectType t : stored(dsl).map(SchemaSnapshot::types).orElse(List.of())) {
                long n = dsl.fetchCount(new RecordTable(t, store.naming(), store.database()).table());
                if (n > 0) {
                    records.put(t.name(), n);
                }
            }
            Map<String, Long> documents = new HashMap<>();
            dsl.select(docs.docKind, DSL.count()).from(docs.documentHistory).groupBy(docs.docKind)
                    .forEach(r -> documents.put(r.value1(), r.value2().longValue()));
            return new Contents(records, dsl.fetchCount(sys.changeLog), documents, dsl.fetchCount(sys.mergeLinks),
                    dsl.fetchCount(sys.imports));
        });
    }

    @Override
    public void checkSchema(SchemaSnapshot schema) {
        ColumnCapacity capacity = new ColumnCapacity(store.naming(), store.database());
        store.read("checking the schema of a restore", dsl -> {
            for (ObjectType t : schema.types()) {
                try {
                    capacity.check(dsl, new SchemaChange.AddObjectType(t), schema);
                } catch (SchemaException e) {
                    throw new BackupException(BackupException.Problem.TARGET_CANNOT_HOLD, "the storage "
                            + store.dialect().shortName() + " cannot hold the archive's type " + t.name() + ": "
                            + e.getMessage(), e);
                }
            }
            return null;
        });
    }

    @Override
    public void wipe(Set<String> keepDocumentKinds) {
        List<String> keptCounters = keepDocumentKinds.stream().map(k -> "document:" + k).toList();
        store.write("clearing the storage for a restore", dsl -> {
            Map<String, ObjectType> types = new LinkedHashMap<>();
            stored(dsl).ifPresent(s -> s.types().forEach(t -> types.put(t.name(), t)));
            SchemaSnapshot mine = written;
            if (mine != null) {
                mine.types().forEach(t -> types.putIfAbsent(t.name(), t));
            }
            store.ddl().dropAll(dsl, types.values());
            for (org.jooq.Table<?> t : List.of(sys.schemaHistory, sys.schemaPending, sys.changeLog, sys.seals,
                    sys.mergeLinks, sys.imports, summaries)) {
                dsl.deleteFrom(t).execute();
            }
            dsl.deleteFrom(docs.documentHistory).where(docs.docKind.notIn(keepDocumentKinds)).execute();
            dsl.deleteFrom(docs.document).where(docs.docKind.notIn(keepDocumentKinds)).execute();
            dsl.deleteFrom(docs.counter).where(docs.counterName.like("document:%"))
                    .and(docs.counterName.notIn(keptCounters)).execute();
            store.sequencer().restart(dsl, 0L);
            // a restore that failed (or a process that died) between writeSchema and finish left the change log
            // without its index: the record tables went above, the change log's index comes back
            if (store.database().buildsIndexesAfterLoad()) {
                buildIndexes(dsl, List.of());
            }
            return null;
        });
        indexesDropped = false;
        written = null;
        tables.clear();
        store.forgetSchema();
    }

    private static boolean linksRecords(Field f) {
        return f.type() == FieldType.REFERENCE || f.type() == FieldType.RELATION;
    }

    @Override
    public void writeSchema(List<SchemaChangeEntry> history, SchemaSnapshot current) {
        written = current;
        Map<String, ObjectType> bare = new LinkedHashMap<>();
        for (ObjectType t : current.types()) {
            bare.put(t.name(), t.withFields(t.fields().stream().filter(f -> !linksRecords(f)).toList()));
        }
        SchemaSnapshot withoutLinks = new SchemaSnapshot(current.version(), bare, current.pipelines());
        store.write("creating the schema of a restore", dsl -> {
            for (ObjectType t : bare.values()) {
                store.ddl().apply(dsl, new SchemaChange.AddObjectType(t), withoutLinks);
            }
            for (ObjectType t : current.types()) {
                for (Field f : t.fields()) {
                    if (linksRecords(f)) {
                        store.ddl().apply(dsl, new SchemaChange.AddField(t.name(), f), current);
                    }
                }
            }
            List<Query> rows = new ArrayList<>();
            for (int i = 0; i < history.size(); i++) {
                SchemaChangeEntry e = history.get(i);
                rows.add(dsl.insertInto(sys.schemaHistory).set(sys.schemaVersion, e.version())
                        .set(sys.appliedAt, RecordTable.utc(e.at())).set(sys.principalId, e.principalId())
                        .set(sys.changeJson, store.json().writeSchemaChange(e.change()))
                        .set(sys.snapshotJson, i == history.size() - 1 ? store.json().writeSnapshot(current) : null));
            }
            if (!rows.isEmpty()) {
                dsl.batch(rows).execute();
            }
            if (store.database().buildsIndexesAfterLoad()) {
                for (ObjectType t : current.types()) {
                    store.ddl().dropIndexes(dsl, t);
                }
                dsl.dropIndexIfExists(changeLogIndex()).on(sys.changeLog).execute();
                indexesDropped = true;
            }
            return null;
        });
        store.forgetSchema();
        store.loadSchema();
    }

    /** The change log's index by record ({@code V1__system_tables.sql}: its name is never shortened). */
    private org.jooq.Name changeLogIndex() {
        return DSL.name(store.naming().prefix() + "crmkit_change_log_record");
    }

    /** Builds the indexes {@link #writeSchema} dropped (those missing), on {@code types}' tables and the change log. */
    private void buildIndexes(DSLContext dsl, List<ObjectType> types) {
        for (ObjectType t : types) {
            store.ddl().createIndexes(dsl, t);
        }
        dsl.createIndexIfNotExists(changeLogIndex()).on(sys.changeLog, sys.recordId, sys.seq).execute();
    }

    private RecordTable table(String type) {
        SchemaSnapshot s = java.util.Objects.requireNonNull(written, "the schema is written first");
        return tables.computeIfAbsent(type, k -> new RecordTable(s.findObjectType(k).orElseThrow(
                () -> new IllegalStateException("no object type " + k + " in the restored schema")), store.naming(),
                store.database()));
    }

    @Override
    public void writeRecords(List<Record> records) {
        inTransaction("writing restored records", dsl -> {
            Map<String, List<Object[]>> byType = new LinkedHashMap<>();
            for (Record r : records) {
                byType.computeIfAbsent(r.type(), k -> new ArrayList<>()).add(table(r.type()).rowValues(r));
            }
            byType.forEach((type, rows) -> bulk().insert(dsl, table(type).table(), table(type).selectList(), rows));
        });
    }

    private BulkRows bulk() {
        return store.database().bulkRows();
    }

    @Override
    public void writeReferences(List<Record> records) {
        inTransaction("writing restored references", dsl -> {
            List<Query> writes = new ArrayList<>();
            for (Record r : records) {
                RecordTable t = table(r.type());
                Map<org.jooq.Field<?>, @Nullable Object> row = t.row(r);
                Map<org.jooq.Field<?>, @Nullable Object> set = new LinkedHashMap<>();
                for (Field f : t.type().fields()) {
                    if (f.type() == FieldType.REFERENCE) {
                        t.columnsOf(f.name()).forEach(c -> set.put(c.column(), row.get(c.column())));
                    }
                }
                if (!set.isEmpty()) {
                    writes.add(dsl.update(t.table()).set(set).where(t.id.eq(r.id())));
                }
                for (RecordTable.Link link : t.links().values()) {
                    List<java.util.UUID> ids = r.getList(link.field().name());
                    for (int i = 0; i < ids.size(); i++) {
                        writes.add(dsl.insertInto(link.table(), link.recordId(), link.targetId(), link.ordinal())
                                .values(r.id(), ids.get(i), i));
                    }
                }
            }
            if (!writes.isEmpty()) {
                dsl.batch(writes).execute();
            }
        });
    }

    @Override
    public void writeChanges(List<ChangeLogEntry> entries) {
        inTransaction("writing the restored change log", dsl -> writeLog(dsl, entries.stream()
                .map(e -> logRow(e, store.json().writeChanges(e.changes()))).toList()));
    }

    /** The archive's text of the field changes is what this storage keeps in {@code changes_json}: stored unread. */
    @Override
    public void writeStoredChanges(List<StoredChanges> entries) {
        inTransaction("writing the restored change log", dsl -> writeLog(dsl, entries.stream()
                .map(s -> logRow(s.entry(), s.changesJson())).toList()));
    }

    private static Object[] logRow(ChangeLogEntry e, String changesJson) {
        return new Object[] {e.sequence(), e.transactionId(), RecordTable.utc(e.at()), e.principalId(),
                e.objectType(), e.recordId(), e.operation().name(), e.version(), changesJson};
    }

    private void writeLog(DSLContext dsl, List<Object[]> rows) {
        bulk().insert(dsl, sys.changeLog, List.of(sys.seq, sys.txId, sys.occurredAt, sys.principalId,
                sys.objectType, sys.recordId, sys.operation, sys.recordVersion, sys.changesJson), rows);
    }

    @Override
    public void writeSeals(List<org.crmkit.storage.spi.ChangeSeal> seals) {
        inTransaction("writing the restored change log's seals", dsl -> bulk().insert(dsl, sys.seals,
                List.of(sys.seq, sys.sealDigest, sys.sealLink, sys.sealMark), seals.stream()
                        .map(s -> new Object[] {s.sequence(), s.digest(), s.link(), s.mark()}).toList()));
    }

    @Override
    public void writeDocuments(List<StoredDocument> versions) {
        inTransaction("writing restored documents", dsl -> {
            List<Query> writes = new ArrayList<>();
            Map<String, StoredDocument> current = new LinkedHashMap<>();
            Map<String, Long> revisions = new LinkedHashMap<>();
            for (StoredDocument d : versions) {
                writes.add(dsl.insertInto(docs.documentHistory, docs.docKind, docs.docRevision, docs.docName,
                        docs.docVersion, docs.docBody, docs.docPrincipal, docs.docSavedAt).values(d.kind(),
                                d.revision(), d.name(), d.version(), d.body(), d.principalId(),
                                RecordTable.utc(d.at())));
                current.put(d.kind() + "\u0000" + d.name(), d);
                revisions.merge(d.kind(), d.revision(), Math::max);
            }
            for (StoredDocument d : current.values()) {
                writes.add(dsl.insertInto(docs.document, docs.docKind, docs.docName, docs.docVersion, docs.docRevision,
                        docs.docBody, docs.docPrincipal, docs.docSavedAt).values(d.kind(), d.name(), d.version(),
                                d.revision(), d.body(), d.principalId(), RecordTable.utc(d.at())));
            }
            revisions.forEach((kind, revision) -> {
                writes.add(dsl.deleteFrom(docs.counter).where(docs.counterName.eq("document:" + kind)));
                writes.add(dsl.insertInto(docs.counter, docs.counterName, docs.counterValue).values("document:" + kind,
                        revision));
            });
            dsl.batch(writes).execute();
        });
    }

    @Override
    public void writeMergeLinks(List<MergeLink> links) {
        inTransaction("writing restored merge links", dsl -> bulk().insert(dsl, sys.mergeLinks, List.of(sys.recordId,
                sys.objectType, sys.survivorId),
                links.stream().map(l -> new Object[] {l.recordId(), l.objectType(),
                        l.survivorId()}).toList()));
    }

    @Override
    public void writeImportedRows(List<ImportedRow> rows) {
        inTransaction("writing the restored import ledger", dsl -> bulk().insert(dsl, sys.imports,
                List.of(sys.principalId, sys.objectType, sys.importId, sys.rowNo, sys.recordId), rows.stream()
                        .map(r -> new Object[] {r.key().principalId(), r.key().objectType(), r.key().importId(),
                                r.row(), r.recordId()})
                        .toList()));
    }

    @Override
    public void finish() {
        SchemaSnapshot schema = written;
        if (indexesDropped && schema != null) {
            store.write("building the indexes of a restore", dsl -> {
                buildIndexes(dsl, schema.types());
                return null;
            });
            indexesDropped = false;
        }
        inTransaction("finishing a restore", dsl -> {
            Long max = dsl.select(DSL.max(sys.seq)).from(sys.changeLog).fetchOne(0, Long.class);
            store.sequencer().restart(dsl, max == null ? 0L : max);
        });
        store.forgetSchema();
        store.loadSchema();
    }

    @Override
    public void close() {
        // every call used a connection of its own
    }
}
