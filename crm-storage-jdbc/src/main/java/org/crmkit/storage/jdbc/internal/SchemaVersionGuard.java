package org.crmkit.storage.jdbc.internal;

import org.crmkit.error.SchemaException;
import org.crmkit.record.Record;
import org.crmkit.schema.SchemaSnapshot;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Keeps a node's schema in step with the schema other nodes commit to the shared database.
 *
 * <ul>
 *   <li>When a transaction takes its connection it reads the committed schema version on it ({@code max(version)}
 *       of {@code schema_history}, one lookup in its primary key) and, when another node moved it, reloads the
 *       schema before the transaction uses it ({@link #current}).
 *   <li>A statement that fails because a column or table it names is gone is reported as
 *       {@link SchemaException} {@code CONCURRENT_CHANGE} (retry) when the schema of its type changed since the
 *       transaction's schema was read, or a change is in progress ({@link #changedFor}); the newer schema is
 *       loaded on the way, so the retry works with it. Any other such failure stays a storage error.
 *   <li>A record written with a value of a field the transaction's schema does not hold is refused the same
 *       way ({@link #checkFields}), instead of the value being dropped.
 * </ul>
 */
final class SchemaVersionGuard {
    private final JdbcStore store;

    SchemaVersionGuard(JdbcStore store) {
        this.store = store;
    }

    /** The committed schema version, read on {@code dsl}'s connection. */
    static long committedVersion(SystemTables sys, DSLContext dsl) {
        Long v = dsl.select(DSL.max(sys.schemaVersion)).from(sys.schemaHistory).fetchOne(0, Long.class);
        return v == null ? 0 : v;
    }

    /** The schema state at the committed version: the one held, or the newer one, loaded on {@code dsl}. */
    JdbcStore.SchemaState current(DSLContext dsl) {
        JdbcStore.SchemaState held = store.schemaState();
        if (committedVersion(store.sys(), dsl) > held.snapshot().version()) {
            store.loadSchema(dsl);
            return store.schemaState();
        }
        return held;
    }

    /**
     * Whether the schema of {@code table}'s type is no longer the one the table was mapped from, or a schema change
     * is in progress; loads (and adopts) the newest schema.
     */
    boolean changedFor(RecordTable table) {
        if (store.hasPendingSchemaChanges()) {
            return true;
        }
        SchemaSnapshot now = store.loadSchema().orElse(null);
        return now == null || !now.findObjectType(table.type().name()).map(table.type()::equals).orElse(false);
    }

    /** Refuses a record holding a value of a field {@code table}'s type does not have. */
    static void checkFields(RecordTable table, Record record) {
        for (String field : record.values().keySet()) {
            if (table.type().findField(field).isEmpty()) {
                throw changed(table.type().name());
            }
        }
    }

    /** The retryable error; it names the type only, as the field may be one the caller may not see. */
    static SchemaException changed(String type) {
        return new SchemaException(SchemaException.Problem.CONCURRENT_CHANGE, type, null,
                "the schema changed while this transaction ran; retry it");
    }
}
