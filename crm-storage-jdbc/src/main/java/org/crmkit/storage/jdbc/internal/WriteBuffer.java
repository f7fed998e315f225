package org.crmkit.storage.jdbc.internal;

import java.util.Objects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.ConflictException;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.error.NotFoundException;
import org.crmkit.error.ValidationException;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.FieldType;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The record writes of one {@link JdbcTransaction}: buffered as the caller makes them, and sent in order when the
 * transaction next queries and at commit ({@link #flush()}). An update is {@code UPDATE ... WHERE id = ? AND
 * version = ?}: zero rows means someone else committed first, so no row lock is held while the caller's code runs.
 * The newest buffered state of each record is kept for reads of the same transaction ({@link #buffered}).
 */
final class WriteBuffer {
    /** Most ids one locking query of referenced rows names. */
    private static final int IDS_PER_LOCK = 500;

    /**
     * A buffered record write: insert (expected version 0), update (with the stored state it replaces, when known),
     * or purge (record null).
     */
    record Write(String type, UUID id, @Nullable Record record, long expectedVersion, boolean insert,
            @Nullable Record before) {}

    private final JdbcStore store;
    private final TransactionConnection conn;
    private final List<Write> writes = new ArrayList<>();
    /** The newest buffered state of each written record (null value: purged). */
    private final Map<UUID, @Nullable Record> overlay = new HashMap<>();
    /**
     * Roll-up totals to write ({@link org.crmkit.storage.spi.RollupTotalsStore}), by record id: set by the record's
     * own update when one is sent after them, else by an update of their own at {@link #flush()}.
     */
    private final Map<UUID, TotalsWrite> totals = new LinkedHashMap<>();

    /**
     * The roll-up totals of the records this transaction locked ({@code lockForUpdate} reads them with the row) or
     * wrote, by record id (empty: none), for {@link JdbcRollupTotals}.
     */
    private final Map<UUID, java.util.Optional<String>> knownTotals = new HashMap<>();

    /** The roll-up totals text (null: cleared) to write to a record of a type. */
    private record TotalsWrite(String type, @Nullable String text) {}

    WriteBuffer(JdbcStore store, TransactionConnection conn) {
        this.store = store;
        this.conn = conn;
    }

    private DSLContext writer() {
        return conn.writer();
    }

    private DSLContext dsl() {
        return conn.dsl();
    }

    private RecordTable table(String type) {
        return conn.table(type);
    }

    /** Whether a write of record {@code id} is buffered; then {@link #buffered} is its newest state. */
    boolean holds(UUID id) {
        return overlay.containsKey(id);
    }

    /** The newest buffered state of record {@code id}, null when it was purged (or not written). */
    @Nullable
    Record buffered(UUID id) {
        return overlay.get(id);
    }

    /** The one buffered write, when exactly one is buffered (and no roll-up totals wait). */
    @Nullable
    Write sole() {
        return writes.size() == 1 && totals.isEmpty() ? writes.get(0) : null;
    }

    /** Forgets every buffered write (sent, or rolled back). */
    void clear() {
        writes.clear();
        overlay.clear();
        totals.clear();
        knownTotals.clear();
    }

    /** The roll-up totals known to this transaction ({@link #knownTotals}), to read and to add to. */
    Map<UUID, java.util.Optional<String>> knownTotals() {
        return knownTotals;
    }

    /** Buffers the roll-up totals of a record (null: clear them); see {@link #totals}. */
    void writeTotals(String type, UUID id, @Nullable String text) {
        totals.put(id, new TotalsWrite(type, text));
    }

    /** Buffers the insert of a new record (a conflict when this transaction already holds a record of its id). */
    void insert(Record record) {
        if (overlay.get(record.id()) != null) {
            throw new ConflictException(record.type(), record.id(), 0, overlay.get(record.id()).version());
        }
        buffer(new Write(record.type(), record.id(), record, 0, true, null));
    }

    void update(Record record, long expectedVersion) {
        buffer(new Write(record.type(), record.id(), record, expectedVersion, false, null));
    }

    void update(Record record, Record before) {
        buffer(new Write(record.type(), record.id(), record, before.version(), false, before));
    }

    void purge(String type, UUID id, long expectedVersion) {
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

    /** Sends the buffered record writes, in order, then the roll-up totals no record update carried. */
    void flush() {
        if (writes.isEmpty() && totals.isEmpty()) {
            return;
        }
        List<Write> todo = List.copyOf(writes);
        writes.clear();
        for (Write w : todo) {
            if (w.insert()) {
                insertNow(Objects.requireNonNull(w.record(), "an insert carries its record"));
            } else if (w.record() != null) {
                updateNow(w.record(), w.expectedVersion(), w.before());
            } else {
                totals.remove(w.id());
                purgeNow(w.type(), w.id(), w.expectedVersion());
            }
        }
        List<Map.Entry<UUID, TotalsWrite>> rest = List.copyOf(totals.entrySet());
        totals.clear();
        for (Map.Entry<UUID, TotalsWrite> e : rest) {
            RecordTable t = table(e.getValue().type());
            org.jooq.Field<String> column = Objects.requireNonNull(t.rollupTotals,
                    "roll-up totals of a type that holds no roll-ups");
            try {
                writer().update(t.table()).set(column, e.getValue().text()).where(t.id.eq(e.getKey())).execute();
            } catch (RuntimeException ex) {
                throw store.errors().map(ex, t, new SqlErrors.Target(t.type().name(), e.getKey(), -1),
                        "writing the roll-up totals of " + t.type().name() + " " + e.getKey());
            }
        }
    }

    private void insertNow(Record record) {
        RecordTable t = table(record.type());
        SqlErrors.Target target = new SqlErrors.Target(record.type(), record.id(), 0);
        try {
            checkUnique(t, record, null);
            lockLive(record.type(), newReferences(t, record, null));
            writer().insertInto(t.table()).set(t.row(record)).execute();
            insertLinks(t, record);
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, target, "inserting " + record.type() + " " + record.id());
        }
    }

    /**
     * Sends the buffered writes, then inserts {@code records} at once: per type one {@link BulkRows} insert
     * ({@code COPY} on PostgreSQL, a JDBC batch elsewhere).
     */
    void insertAll(List<Record> records) {
        flush();
        Map<String, List<Record>> byType = new LinkedHashMap<>();
        for (Record r : records) {
            byType.computeIfAbsent(r.type(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Record>> e : byType.entrySet()) {
            RecordTable t = table(e.getKey());
            try {
                List<Reference> refs = new ArrayList<>();
                for (Record r : e.getValue()) {
                    SchemaVersionGuard.checkFields(t, r);
                    checkUnique(t, r, null);
                    refs.addAll(newReferences(t, r, null));
                }
                lockLive(e.getKey(), refs);
                List<Object[]> rows = new ArrayList<>(e.getValue().size());
                for (Record r : e.getValue()) {
                    rows.add(t.rowValues(r));
                }
                store.database().bulkRows().insert(writer(), t.table(), t.selectList(), rows);
                for (Record r : e.getValue()) {
                    insertLinks(t, r);
                }
            } catch (RuntimeException ex) {
                // with a target, a deadlock or serialization failure is a ConflictException (retry), as for one insert
                SqlErrors.Target target = new SqlErrors.Target(e.getKey(), e.getValue().get(0).id(), 0);
                throw store.errors().map(ex, t, target, "inserting " + e.getValue().size() + " " + e.getKey()
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
            lockLive(record.type(), newReferences(t, record, before));
            Map<org.jooq.Field<?>, @Nullable Object> set = changedColumns(t, record, before);
            org.jooq.Field<String> totalsColumn = t.rollupTotals;
            TotalsWrite carried = totalsColumn == null ? null : totals.remove(record.id());
            if (totalsColumn != null && carried != null) {
                set.put(totalsColumn, carried.text());
            }
            int n = writer().update(t.table()).set(set).where(t.id.eq(record.id()))
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
    RuntimeException missed(RecordTable t, String type, UUID id, long expected) {
        Long actual = dsl().select(t.version).from(t.table()).where(t.id.eq(id)).fetchOne(t.version);
        return actual == null ? new NotFoundException(type, id) : new ConflictException(type, id, expected, actual);
    }

    /** A record's reference (or relation entry) to {@code id} of {@code targetType}, through {@code field}. */
    private record Reference(String field, String targetType, UUID id) {}

    /**
     * The references and relation entries {@code record} holds that {@code before} (null: none) did not: those a
     * racing merge or delete could leave dangling.
     */
    private static List<Reference> newReferences(RecordTable t, Record record, @Nullable Record before) {
        List<Reference> out = new ArrayList<>();
        for (Field f : t.type().fields()) {
            String target = f.target();
            if (target == null) {
                continue;
            }
            if (f.type() == FieldType.REFERENCE && record.get(f.name()) instanceof UUID id
                    && (before == null || !id.equals(before.get(f.name())))) {
                out.add(new Reference(f.name(), target, id));
            } else if (f.type() == FieldType.RELATION) {
                java.util.Set<UUID> had = before == null ? java.util.Set.of()
                        : new java.util.HashSet<>(before.<UUID>getList(f.name()));
                for (UUID id : record.<UUID>getList(f.name())) {
                    if (!had.contains(id)) {
                        out.add(new Reference(f.name(), target, id));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Locks each record {@code refs} point at (a write's new references), and refuses one that is gone or
     * soft-deleted: {@code FOR SHARE} where the database has it (a merge's or delete's update of the target then waits
     * for this transaction, and this one for theirs, so that a merge's re-pointing sees every reference that
     * committed before it and a write that comes after it finds the target deleted); {@code FOR UPDATE} on H2, whose
     * foreign-key check does not lock the target either (a concurrent purge could otherwise commit beside the new
     * reference). A target missing or deleted is a {@link ValidationException} naming the field. One query per target
     * type and {@value #IDS_PER_LOCK} ids.
     */
    private void lockLive(String recordType, List<Reference> refs) {
        Map<String, List<Reference>> byTarget = new LinkedHashMap<>();
        refs.forEach(r -> byTarget.computeIfAbsent(r.targetType(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<Reference>> e : byTarget.entrySet()) {
            RecordTable tt = table(e.getKey());
            List<UUID> ids = e.getValue().stream().map(Reference::id).distinct().toList();
            java.util.Set<UUID> live = new java.util.HashSet<>();
            for (int from = 0; from < ids.size(); from += IDS_PER_LOCK) {
                var select = writer().select(tt.id).from(tt.table())
                        .where(tt.id.in(ids.subList(from, Math.min(ids.size(), from + IDS_PER_LOCK))))
                        .and(tt.deletedAt.isNull());
                live.addAll((store.database().foreignKeyCheckLocksTarget() ? select.forShare() : select.forUpdate())
                        .fetch(tt.id));
            }
            for (Reference r : e.getValue()) {
                if (!live.contains(r.id())) {
                    throw new ValidationException(recordType, List.of(new FieldError(r.field(),
                            FieldErrorCode.INVALID_REFERENCE, r.targetType() + " " + r.id() + " does not exist")));
                }
            }
        }
    }

    /**
     * Reports every unique value of the record another record holds (the unique index is the backstop); values
     * unchanged from {@code before} are not looked up again.
     */
    void checkUnique(RecordTable t, Record record, @Nullable Record before) {
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

    /** The columns an update sets: those whose value differs from {@code before}, and the version. */
    static Map<org.jooq.Field<?>, @Nullable Object> changedColumns(RecordTable t, Record record,
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
}
