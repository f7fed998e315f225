package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.crmkit.schema.ObjectType;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.Record;
import org.jooq.Name;
import org.jooq.DataType;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * CRMKit on PostgreSQL: transactional DDL, {@code RETURNING} everywhere (one-statement commits and job claims),
 * binary order through the "C" collation (see {@link DatabaseStrategy} for why each answer differs from the other
 * databases).
 */
final class PostgresStrategy implements DatabaseStrategy {
    /** Columns of a record table, counting those of deleted fields ({@link #droppedColumns}). */
    static final int MAX_COLUMNS = 1_600;

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRES;
    }

    @Override
    public DataType<String> text(int length) {
        return SQLDataType.VARCHAR(length).collation(DSL.collation(DSL.name("C")));
    }

    @Override
    public DataType<String> unindexedText(int length) {
        return text(length);
    }

    @Override
    public DataType<String> longText() {
        return SQLDataType.CLOB.collation(DSL.collation(DSL.name("C")));
    }

    @Override
    public boolean textTypeFollowsIndex() {
        return false;
    }

    @Override
    public org.jooq.Field<String> forCaseFolding(org.jooq.Field<String> text) {
        return text.collate(DSL.collation(DSL.name("und-x-icu")));
    }

    @Override
    public org.jooq.Field<String> exact(org.jooq.Field<String> text) {
        return text;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public boolean isConcurrencyFailure(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || "55P03".equals(state);
    }

    @Override
    public boolean isMissingObject(SQLException e) {
        String state = e.getSQLState();
        return "42703".equals(state) || "42P01".equals(state);
    }

    @Override
    public boolean isForeignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState());
    }

    @Override
    public boolean isRowTooLarge(SQLException e) {
        return false;
    }

    /**
     * Besides class 08: the server is shutting down and ended the session ({@code 57P01} admin shutdown, as in
     * {@code pg_ctl stop -m fast} or {@code pg_terminate_backend}; {@code 57P02} crash shutdown) or is starting up
     * or recovering and takes no sessions yet ({@code 57P03}).
     */
    @Override
    public boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return DatabaseStrategy.super.isConnectionFailure(e) || "57P01".equals(state) || "57P02".equals(state)
                || "57P03".equals(state);
    }

    @Override
    public void prepareHostConnection(DSLContext dsl) {
        // nothing to set
    }

    @Override
    public boolean serializesWriters() {
        return false;
    }

    @Override
    public boolean foreignKeyCheckLocksTarget() {
        return true;
    }

    @Override
    public boolean transactionalDdl() {
        return true;
    }

    @Override
    public boolean takesSequencesInOneStatement() {
        return true;
    }

    @Override
    public boolean supportsWritableCtes() {
        return true;
    }

    @Override
    public @Nullable String metadataSchema(Connection c) throws SQLException {
        return c.getSchema();
    }

    @Override
    public int maxColumns() {
        return MAX_COLUMNS;
    }

    /** Columns of deleted fields PostgreSQL still counts towards its limit (pg_attribute.attisdropped). */
    @Override
    public int droppedColumns(DSLContext ddl, RecordTable t) {
        org.jooq.Table<?> attribute = DSL.table(DSL.name("pg_catalog", "pg_attribute")).as("a");
        org.jooq.Table<?> clazz = DSL.table(DSL.name("pg_catalog", "pg_class")).as("c");
        org.jooq.Table<?> namespace = DSL.table(DSL.name("pg_catalog", "pg_namespace")).as("n");
        Integer n = ddl.selectCount().from(attribute)
                .join(clazz).on(DSL.field(DSL.name("a", "attrelid"), SQLDataType.BIGINT)
                        .eq(DSL.field(DSL.name("c", "oid"), SQLDataType.BIGINT)))
                .join(namespace).on(DSL.field(DSL.name("c", "relnamespace"), SQLDataType.BIGINT)
                        .eq(DSL.field(DSL.name("n", "oid"), SQLDataType.BIGINT)))
                .where(DSL.field(DSL.name("c", "relname"), SQLDataType.VARCHAR).eq(t.table().getName()))
                .and(DSL.field(DSL.name("n", "nspname"), SQLDataType.VARCHAR).eq(DSL.currentSchema()))
                .and(DSL.field(DSL.name("a", "attisdropped"), SQLDataType.BOOLEAN).isTrue())
                .fetchOne(0, Integer.class);
        return n == null ? 0 : n;
    }

    @Override
    public void checkRowSize(ObjectType type, @Nullable String field, RecordTable table) {
        // no row limit CRMKit's columns reach (long values are moved out of line by TOAST)
    }

    @Override
    public boolean claimsJobsInOneStatement() {
        return true;
    }

    @Override
    public boolean appliesLimitBeforeSkipLocked() {
        return false;
    }

    @Override
    public Table<Record> claimSource(Table<Record> jobs, Name dueIndex) {
        return jobs;
    }

    @Override
    public boolean returnsFromUpdate() {
        return true;
    }

    @Override
    public boolean runsRenderedStatements() {
        return true;
    }

    @Override
    public boolean bindsInListsAsArrays() {
        return true;
    }

    @Override
    public boolean buildsIndexesAfterLoad() {
        return true;
    }

    @Override
    public ChangeLogSequencer changeLogSequencer(SystemTables sys, Naming naming) {
        return new ConcurrentSequencer(sys, naming);
    }

    @Override
    public BulkRows bulkRows() {
        return CopyRows.INSTANCE;
    }

    @Override
    public boolean changesSchemaOnline() {
        return true;
    }

    @Override
    public boolean isLockWaitTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }
}
