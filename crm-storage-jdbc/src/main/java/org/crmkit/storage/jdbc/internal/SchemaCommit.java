package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.error.SchemaException;
import org.crmkit.error.StorageException;
import org.crmkit.schema.SchemaChange;
import org.crmkit.schema.SchemaChangeEntry;
import org.crmkit.schema.SchemaSnapshot;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The schema changes of one {@link JdbcTransaction}: planned as they are applied, then at commit, under the schema
 * lock, their DDL run and their history written. The DDL commits on its own connection after a redo row, so a crash
 * before the transaction's commit is finished by {@link #repair()} when the storage next opens; on PostgreSQL and
 * MariaDB it runs online ({@link OnlineDdl}: writers of the table keep writing while an index is built), and the new
 * schema version is committed only once the structure is ready. Where DDL is transactional (PostgreSQL), changes
 * that touch no field's table (types added or deleted, rules, pipelines) and changes in a transaction that wrote
 * before run their DDL inside the transaction instead, which needs no redo row.
 */
final class SchemaCommit {
    private record SchemaStep(SchemaChange change, SchemaSnapshot previous, SchemaSnapshot next,
            SchemaChangeEntry entry) {}

    private final JdbcStore store;
    private final SystemTables sys;
    private final TransactionConnection conn;
    private final List<SchemaStep> schemaSteps = new ArrayList<>();

    SchemaCommit(JdbcStore store, TransactionConnection conn) {
        this.store = store;
        this.sys = store.sys();
        this.conn = conn;
    }

    /** Plans {@code change}, whose result is {@code next}; it must follow the transaction's schema version. */
    void apply(SchemaChange change, SchemaSnapshot next, SchemaChangeEntry entry) {
        JdbcStore.SchemaState state = conn.heldSchema();
        if (next.version() != state.snapshot().version() + 1) {
            throw concurrent(change);
        }
        schemaSteps.add(new SchemaStep(change, state.snapshot(), next, entry));
        conn.plan(next);
    }

    boolean isEmpty() {
        return schemaSteps.isEmpty();
    }

    /** The schema after the last planned change, for the store to adopt once the transaction committed. */
    @Nullable
    SchemaSnapshot last() {
        return schemaSteps.isEmpty() ? null : schemaSteps.get(schemaSteps.size() - 1).next();
    }

    void clear() {
        schemaSteps.clear();
    }

    private static SchemaException concurrent(SchemaChange change) {
        return new SchemaException(SchemaException.Problem.CONCURRENT_CHANGE, change.objectType(), null,
                "another schema change was applied first; reload and retry");
    }

    private long committedSchemaVersion() {
        return SchemaVersionGuard.committedVersion(sys, conn.dsl());
    }

    /** Runs the DDL of the planned changes and records them, under the schema lock. */
    void commit() {
        boolean inTransaction = store.database().transactionalDdl() && !runsOnline();
        if (store.hasPendingSchemaChanges()) {
            // a change cut off by a crash: finish it in a transaction of its own, so the repair stays even when
            // this change then fails with CONCURRENT_CHANGE (it was planned against the older version); also before
            // a change made inside the transaction (PostgreSQL), which would otherwise take the cut-off change's
            // version and leave its DDL half-applied
            store.repairPendingSchemaChanges();
        }
        conn.lock(SystemTables.SCHEMA_LOCK);
        if (schemaSteps.get(0).next().version() != committedSchemaVersion() + 1) {
            throw concurrent(schemaSteps.get(0).change());
        }
        if (inTransaction) {
            for (SchemaStep s : schemaSteps) {
                store.ddl().apply(conn.dsl(), s.change(), s.next());
                recordHistory(s.entry(), s.previous(), s.next());
            }
            return;
        }
        // outside the transaction: write a redo row first, so a crash before our commit is repaired
        store.ddl().online().releaseSnapshot(conn.dsl());
        try (Connection ddlConnection = store.connection()) {
            ddlConnection.setAutoCommit(true);
            DSLContext ddl = store.dsl(ddlConnection);
            for (SchemaStep s : schemaSteps) {
                ddl.insertInto(sys.schemaPending).set(sys.schemaVersion, s.next().version())
                        .set(sys.createdAt, RecordTable.utc(s.entry().at()))
                        .set(sys.principalId, s.entry().principalId())
                        .set(sys.changeJson, store.json().writeSchemaChange(s.change()))
                        .set(sys.snapshotJson, store.json().writeSnapshot(s.next())).execute();
            }
            try {
                for (SchemaStep s : schemaSteps) {
                    store.ddl().online().apply(ddl, s.change(), s.next());
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
        conn.dsl().deleteFrom(sys.schemaPending).where(sys.schemaVersion.in(versions())).execute();
    }

    /**
     * Whether PostgreSQL should run this transaction's DDL online, outside the transaction: when a change adds,
     * changes or deletes a field (its table may be large and busy), and the transaction has written nothing before
     * (a concurrent index build waits for every transaction holding a write lock on the table, this one included).
     */
    private boolean runsOnline() {
        return store.database().changesSchemaOnline() && !conn.writing() && schemaSteps.stream()
                .anyMatch(s -> s.change() instanceof SchemaChange.AddField
                        || s.change() instanceof SchemaChange.ChangeField
                        || s.change() instanceof SchemaChange.DeleteField);
    }

    private List<Long> versions() {
        return schemaSteps.stream().map(s -> s.next().version()).toList();
    }

    private void recordHistory(SchemaChangeEntry entry, @Nullable SchemaSnapshot previous, SchemaSnapshot next) {
        store.history().record(conn.writer(), entry, previous, next);
    }

    /** See {@link JdbcStore#repairPendingSchemaChanges()}; the caller holds or takes the schema lock. */
    int repair() {
        conn.lock(SystemTables.SCHEMA_LOCK);
        List<JdbcStore.Pending> pending = store.pending(conn.dsl());
        if (pending.isEmpty()) {
            return 0;
        }
        long current = committedSchemaVersion();
        int repaired = 0;
        for (JdbcStore.Pending p : pending) {
            if (p.version() == current + 1) {
                store.ddl().online().releaseSnapshot(conn.dsl());
                try (Connection ddlConnection = store.connection()) {
                    ddlConnection.setAutoCommit(true);
                    store.ddl().online().apply(store.dsl(ddlConnection), p.change(), p.next());
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
            conn.dsl().deleteFrom(sys.schemaPending).where(sys.schemaVersion.eq(p.version())).execute();
        }
        return repaired;
    }
}
