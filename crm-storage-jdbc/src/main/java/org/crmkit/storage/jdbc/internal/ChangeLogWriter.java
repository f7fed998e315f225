package org.crmkit.storage.jdbc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.crmkit.event.ChangeLogEntry;
import org.crmkit.record.Record;
import org.crmkit.storage.spi.ChangeSealing;
import org.crmkit.storage.spi.CommitSequencing;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * The change-log entries of one {@link JdbcTransaction}: staged as the service layer appends them, written at
 * commit with sequences from the store's {@link ChangeLogSequencer}, so that nothing committed is missing from the
 * log and no reader passes an entry still being committed.
 */
final class ChangeLogWriter {
    /** Up to this many entries go in one multi-row INSERT; more go as a JDBC batch. */
    private static final int SINGLE_INSERT_ENTRIES = 32;

    private final JdbcStore store;
    private final SystemTables sys;
    private final TransactionConnection conn;
    private final WriteBuffer writes;
    private final List<ChangeLogEntry> staged = new ArrayList<>();
    /** The sealing of each staged entry; null for one staged without. */
    private final List<@Nullable ChangeSealing> sealings = new ArrayList<>();
    /** Told when the sequences are taken ({@code StorageTransaction.reportSequencing}); null when nobody asked. */
    private @Nullable CommitSequencing sequencing;

    ChangeLogWriter(JdbcStore store, TransactionConnection conn, WriteBuffer writes) {
        this.store = store;
        this.sys = store.sys();
        this.conn = conn;
        this.writes = writes;
    }

    void append(ChangeLogEntry entry, @Nullable ChangeSealing sealing) {
        staged.add(entry);
        sealings.add(sealing);
    }

    /** Tells {@code sequencing} when this transaction's sequences are taken. */
    void report(CommitSequencing sequencing) {
        this.sequencing = sequencing;
    }

    private void taking() {
        if (sequencing != null) {
            sequencing.taking();
        }
    }

    private void took(long first) {
        if (sequencing != null) {
            sequencing.took(first);
        }
    }

    void clear() {
        staged.clear();
        sealings.clear();
    }

    /**
     * Where WITH may hold an UPDATE (PostgreSQL, {@link DatabaseStrategy#supportsWritableCtes()}), a transaction
     * whose only write is one update of a record known before (the common
     * {@code update(id, version, changes)}) is sent as a single statement, so that the commit costs two round trips
     * as a plain UPDATE does:
     *
     * <pre>
     * WITH r AS (UPDATE record SET ... WHERE id = ? AND version = ? RETURNING id),
     *      s AS (SELECT nextval(crmkit_change_log_seq) FROM (SELECT pg_advisory_xact_lock_shared(...) FROM r) l)
     * INSERT INTO crmkit_change_log (...) SELECT s.c - n + 1, ... FROM s UNION ALL ... RETURNING seq
     * </pre>
     *
     * ({@link ChangeLogSequencer#takeAfter}). {@code s} reads {@code r}, so the record's row is locked before the
     * sequence is taken, in the same order as the general path. No row comes back when the record was not at the
     * version: then nothing was written, and the usual conflict is thrown. Returns null when the transaction does
     * not qualify.
     */
    @Nullable
    List<ChangeLogEntry> writeWithSoleUpdate() {
        WriteBuffer.Write w = writes.sole();
        if (!store.database().supportsWritableCtes() || w == null || staged.isEmpty()
                || staged.size() > SINGLE_INSERT_ENTRIES || sealed()) { // a seal needs the previous link first
            return null;
        }
        Record record = w.record();
        Record before = w.before();
        if (w.insert() || record == null || before == null) {
            return null;
        }
        RecordTable t = conn.table(record.type());
        for (RecordTable.Link link : t.links().values()) {
            if (!record.getList(link.field().name()).equals(before.getList(link.field().name()))) {
                return null; // link rows to write: the general path
            }
        }
        SqlErrors.Target target = new SqlErrors.Target(record.type(), record.id(), w.expectedVersion());
        try {
            writes.checkUnique(t, record, before);
            DSLContext d = conn.writer();
            var r = DSL.name("r").fields("id").as(d.update(t.table())
                    .set(WriteBuffer.changedColumns(t, record, before)).where(t.id.eq(record.id()))
                    .and(t.version.eq(w.expectedVersion())).returningResult(t.id));
            List<ChangeLogEntry> out = insertTakingSequences(d, r, r);
            if (out == null) {
                return null;
            }
            if (out.isEmpty()) {
                throw writes.missed(t, record.type(), record.id(), w.expectedVersion());
            }
            writes.clear();
            return out;
        } catch (RuntimeException e) {
            throw store.errors().map(e, t, target, "updating " + record.type() + " " + record.id());
        }
    }

    /**
     * Takes the sequences and inserts the staged entries in one statement ({@code WITH [r,] s AS (take) INSERT ...
     * SELECT ... FROM s RETURNING seq}), the sequences taken once {@code after} returned its row. Null when the
     * sequencer cannot take them in one query; empty when {@code after} returned no row (nothing was written).
     */
    private @Nullable List<ChangeLogEntry> insertTakingSequences(DSLContext d,
            org.jooq.@Nullable CommonTableExpression<?> r, org.jooq.Table<?> after) {
        int n = staged.size();
        var taken = store.sequencer().takeAfter(d, n, after);
        if (taken == null) {
            return null;
        }
        var s = DSL.name("s").fields("c").as(taken);
        org.jooq.Field<Long> c = DSL.field(DSL.name("s", "c"), SQLDataType.BIGINT);
        org.jooq.Select<org.jooq.Record9<Long, UUID, java.time.LocalDateTime, String, String, UUID, String, Long, String>> rows = null;
        for (int i = 0; i < n; i++) {
            ChangeLogEntry e = staged.get(i);
            var row = DSL.select(c.minus(n - 1 - i), DSL.val(e.transactionId(), sys.txId),
                    DSL.val(RecordTable.utc(e.at()), sys.occurredAt), DSL.val(e.principalId(), sys.principalId),
                    DSL.val(e.objectType(), sys.objectType), DSL.val(e.recordId(), sys.recordId),
                    DSL.val(e.operation().name(), sys.operation), DSL.val(e.version(), sys.recordVersion),
                    DSL.val(store.json().writeChanges(e.changes()), sys.changesJson)).from(s);
            rows = rows == null ? row : rows.unionAll(row);
        }
        taking();
        var with = r == null ? d.with(s) : d.with(r, s);
        List<Long> seqs = with.insertInto(sys.changeLog, sys.seq, sys.txId, sys.occurredAt, sys.principalId,
                sys.objectType, sys.recordId, sys.operation, sys.recordVersion, sys.changesJson)
                .select(java.util.Objects.requireNonNull(rows)).returningResult(sys.seq).fetch(sys.seq);
        if (seqs.isEmpty()) {
            return List.of();
        }
        long last = java.util.Collections.max(seqs);
        took(last - n + 1);
        List<ChangeLogEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ChangeLogEntry e = staged.get(i);
            out.add(new ChangeLogEntry(last - n + 1 + i, e.at(), e.principalId(), e.objectType(), e.recordId(),
                    e.operation(), e.version(), e.changes(), e.transactionId()));
        }
        return out;
    }

    /**
     * Writes the staged entries with sequences from the {@link ChangeLogSequencer} (one statement, two where the
     * lock row's counter cannot be returned by its UPDATE), then the rows in one INSERT, or as {@link BulkRows} for
     * a big transaction such as an import batch. On PostgreSQL a single unsealed entry goes with its sequence in one
     * statement.
     */
    List<ChangeLogEntry> write() {
        if (staged.isEmpty()) {
            return List.of();
        }
        DSLContext w = conn.writer();
        if (store.database().supportsWritableCtes() && !sealed() && staged.size() <= SINGLE_INSERT_ENTRIES) {
            // PostgreSQL: the sequence and the rows in one round trip
            List<ChangeLogEntry> out = insertTakingSequences(w, null, DSL.selectOne().asTable("w"));
            if (out != null) {
                return out;
            }
        }
        taking();
        long last = store.sequencer().take(w, staged.size(), sealed());
        took(last - staged.size() + 1);
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
        List<org.jooq.Field<?>> columns = List.of(sys.seq, sys.txId, sys.occurredAt, sys.principalId,
                sys.objectType, sys.recordId, sys.operation, sys.recordVersion, sys.changesJson);
        insert(w, sys.changeLog, columns, rows);
        if (sealed()) {
            writeSeals(w, out);
        }
        return out;
    }

    private boolean sealed() {
        return sealings.stream().anyMatch(java.util.Objects::nonNull);
    }

    /**
     * Writes the seals of the entries just given sequences, still under the sequencer's lock (sealed entries take
     * it alone): each links to the seal of the sequence before (one read, for the first), so the chain follows
     * commit order.
     */
    private void writeSeals(DSLContext w, List<ChangeLogEntry> committed) {
        long first = committed.get(0).sequence();
        String previous = w.select(sys.sealLink).from(sys.seals).where(sys.seq.eq(first - 1))
                .fetchOptional(sys.sealLink).orElse("");
        List<Object[]> rows = new ArrayList<>(committed.size());
        for (int i = 0; i < committed.size(); i++) {
            ChangeSealing sealing = sealings.get(i);
            if (sealing == null) {
                previous = "";
                continue;
            }
            long seq = committed.get(i).sequence();
            String link = sealing.link(previous, seq);
            rows.add(new Object[] {seq, sealing.digest(), link});
            previous = link;
        }
        insert(w, sys.seals, List.of(sys.seq, sys.sealDigest, sys.sealLink), rows);
    }

    /**
     * Inserts rows in one multi-row INSERT, or as {@link BulkRows} for a big transaction such as an import batch
     * (COPY on PostgreSQL).
     */
    private void insert(DSLContext w, org.jooq.Table<?> table, List<org.jooq.Field<?>> columns, List<Object[]> rows) {
        if (rows.size() <= SINGLE_INSERT_ENTRIES) {
            var values = w.insertInto(table, columns).values(java.util.Arrays.asList(rows.get(0)));
            for (int i = 1; i < rows.size(); i++) {
                values = values.values(java.util.Arrays.asList(rows.get(i)));
            }
            values.execute();
        } else {
            store.database().bulkRows().insert(w, table, columns, rows);
        }
    }

    /** What the last staged entry changed, for the context of a failed commit. */
    SqlErrors.@Nullable Target lastTarget() {
        if (staged.isEmpty()) {
            return null;
        }
        ChangeLogEntry e = staged.get(staged.size() - 1);
        return new SqlErrors.Target(e.objectType(), e.recordId(), Math.max(0, e.version() - 1));
    }
}
