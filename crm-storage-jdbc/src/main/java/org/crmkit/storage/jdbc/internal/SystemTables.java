package org.crmkit.storage.jdbc.internal;

import java.time.LocalDateTime;
import java.util.UUID;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * jOOQ handles on the system tables that the Flyway migrations in {@code org/crmkit/storage/jdbc/migration}
 * create, under the storage's table prefix.
 */
public final class SystemTables {
    /** Lock row that serialises schema changes across nodes. */
    public static final String SCHEMA_LOCK = "schema";
    /** Lock row whose counter hands out change-log sequences in commit order. */
    public static final String CHANGE_LOG_LOCK = "change_log";

    public final Table<Record> schemaHistory;
    public final Table<Record> schemaPending;
    public final Field<Long> schemaVersion = DSL.field(DSL.name("version"), SQLDataType.BIGINT);
    public final Field<LocalDateTime> appliedAt = DSL.field(DSL.name("applied_at"), SQLDataType.LOCALDATETIME(6));
    public final Field<LocalDateTime> createdAt = DSL.field(DSL.name("created_at"), SQLDataType.LOCALDATETIME(6));
    public final Field<String> principalId = DSL.field(DSL.name("principal_id"), SQLDataType.VARCHAR(255));
    public final Field<String> changeJson = DSL.field(DSL.name("change_json"), SQLDataType.CLOB);
    public final Field<String> snapshotJson = DSL.field(DSL.name("snapshot_json"), SQLDataType.CLOB);

    public final Table<Record> changeLog;
    public final Field<Long> seq = DSL.field(DSL.name("seq"), SQLDataType.BIGINT);
    public final Field<UUID> txId = DSL.field(DSL.name("tx_id"), SQLDataType.UUID);
    public final Field<LocalDateTime> occurredAt = DSL.field(DSL.name("occurred_at"), SQLDataType.LOCALDATETIME(6));
    public final Field<String> objectType = DSL.field(DSL.name("object_type"), SQLDataType.VARCHAR(64));
    public final Field<UUID> recordId = DSL.field(DSL.name("record_id"), SQLDataType.UUID);
    public final Field<String> operation = DSL.field(DSL.name("operation"), SQLDataType.VARCHAR(16));
    public final Field<Long> recordVersion = DSL.field(DSL.name("version"), SQLDataType.BIGINT);
    public final Field<String> changesJson = DSL.field(DSL.name("changes_json"), SQLDataType.CLOB);

    public final Table<Record> lock;
    public final Field<String> lockName = DSL.field(DSL.name("name"), SQLDataType.VARCHAR(64));
    public final Field<Long> counter = DSL.field(DSL.name("counter"), SQLDataType.BIGINT);

    public final Table<Record> imports;
    public final Field<String> importId = DSL.field(DSL.name("import_id"), SQLDataType.VARCHAR(100));
    public final Field<Long> rowNo = DSL.field(DSL.name("row_no"), SQLDataType.BIGINT);

    /** One row: the random id of this database (migration V5), see {@code Storage.identity()}. */
    public final Table<Record> identity;
    public final Field<String> identityId = DSL.field(DSL.name("id"), SQLDataType.VARCHAR(36));

    /** Merge links (migration V7): a merged-away record ({@link #recordId}, {@link #objectType}) and its survivor. */
    public final Table<Record> mergeLinks;
    public final Field<UUID> survivorId = DSL.field(DSL.name("survivor_id"), SQLDataType.UUID);

    /** The change log's seals (migration V9), by {@link #seq}. */
    public final Table<Record> seals;
    public final Field<String> sealDigest = DSL.field(DSL.name("digest"), SQLDataType.VARCHAR(64));
    public final Field<String> sealLink = DSL.field(DSL.name("link"), SQLDataType.VARCHAR(64));
    public final Field<String> sealMark = DSL.field(DSL.name("mark"), SQLDataType.VARCHAR(64));

    /** Flyway's own history table for CRMKit's migrations. */
    public final String flywayHistory;

    public SystemTables(Naming naming) {
        schemaHistory = table(naming.system("schema_history"));
        schemaPending = table(naming.system("schema_pending"));
        changeLog = table(naming.system("change_log"));
        lock = table(naming.system("lock"));
        imports = table(naming.system("import"));
        identity = table(naming.system("identity"));
        mergeLinks = table(naming.system("merge_link"));
        seals = table(naming.system("change_seal"));
        flywayHistory = naming.system("flyway_history").last();
    }

    private static Table<Record> table(Name name) {
        return DSL.table(name);
    }
}
