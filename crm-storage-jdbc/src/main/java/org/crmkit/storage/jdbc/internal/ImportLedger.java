package org.crmkit.storage.jdbc.internal;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.crmkit.error.ConflictException;
import org.crmkit.storage.spi.ImportKey;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * The import ledger of one {@link JdbcTransaction} ({@code crmkit_import}): which rows of an import already became
 * which records, written in the transaction that inserts them, so that re-running an import creates no duplicates.
 * A row another transaction already recorded under the same key is a {@link ConflictException}.
 */
final class ImportLedger {
    private final JdbcStore store;
    private final SystemTables sys;
    private final TransactionConnection conn;

    ImportLedger(JdbcStore store, TransactionConnection conn) {
        this.store = store;
        this.sys = store.sys();
        this.conn = conn;
    }

    /** The rows of the import {@code key} recorded so far, each with the record created from it. */
    Map<Long, UUID> importedRows(ImportKey key) {
        Map<Long, UUID> out = new HashMap<>();
        for (var r : conn.dsl().select(sys.rowNo, sys.recordId).from(sys.imports).where(importOf(key)).fetch()) {
            out.put(r.value1(), r.value2());
        }
        return out;
    }

    /** The rows {@code fromRow} to {@code toRow} of the import {@code key} recorded so far (a range of the key). */
    Map<Long, UUID> importedRows(ImportKey key, long fromRow, long toRow) {
        Map<Long, UUID> out = new HashMap<>();
        for (var r : conn.dsl().select(sys.rowNo, sys.recordId).from(sys.imports).where(importOf(key))
                .and(sys.rowNo.between(fromRow, toRow)).fetch()) {
            out.put(r.value1(), r.value2());
        }
        return out;
    }

    /** The ledger rows of one import: its principal, type and id. */
    private Condition importOf(ImportKey key) {
        return sys.principalId.eq(key.principalId()).and(sys.objectType.eq(key.objectType()))
                .and(sys.importId.eq(key.importId()));
    }

    /** Records, with this transaction, that these rows of the import {@code key} created these records. */
    void recordImported(ImportKey key, Map<Long, UUID> rows) {
        if (rows.isEmpty()) {
            return;
        }
        DSLContext writer = conn.writer();
        java.util.List<Object[]> values = new java.util.ArrayList<>(rows.size());
        for (Map.Entry<Long, UUID> e : rows.entrySet()) {
            values.add(new Object[] {key.principalId(), key.objectType(), key.importId(), e.getKey(), e.getValue()});
        }
        try {
            store.database().bulkRows().insert(writer, sys.imports, java.util.List.of(sys.principalId, sys.objectType,
                    sys.importId, sys.rowNo, sys.recordId), values);
        } catch (RuntimeException e) {
            if (store.database().isUniqueViolation(java.util.Objects.requireNonNullElse(SqlErrors.sqlCause(e),
                    new SQLException()))) {
                UUID any = rows.values().iterator().next();
                throw new ConflictException("import " + key.importId(), any, 0, -1);
            }
            throw store.errors().map(e, null, null, "recording import " + key.importId());
        }
    }
}
