package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.crmkit.schema.ObjectType;
import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.Record;
import org.jooq.Name;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * CRMKit on H2, the embedded default: one writer at a time, referenced rows locked by CRMKit, DDL outside the
 * transaction (see {@link DatabaseStrategy} for why each answer differs from the other databases).
 */
final class H2Strategy implements DatabaseStrategy {
    /** This store's bulk inserts, with the statements they rendered. */
    private final RenderedRows bulkRows = new RenderedRows();
    /** Columns of a record table, as on PostgreSQL. */
    static final int MAX_COLUMNS = 1_600;

    @Override
    public Dialect dialect() {
        return Dialect.H2;
    }

    /** H2 counts UTF-16 units, so its columns are twice as long: a value of emoji still fits. */
    @Override
    public DataType<String> text(int length) {
        return SQLDataType.VARCHAR(length * 2);
    }

    @Override
    public DataType<String> unindexedText(int length) {
        return text(length);
    }

    @Override
    public DataType<String> longText() {
        return SQLDataType.VARCHAR(1_000_000_000);
    }

    @Override
    public boolean textTypeFollowsIndex() {
        return false;
    }

    @Override
    public org.jooq.Field<String> forCaseFolding(org.jooq.Field<String> text) {
        return text;
    }

    @Override
    public org.jooq.Field<String> exact(org.jooq.Field<String> text) {
        return text;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return e.getErrorCode() == 23505 || "23505".equals(e.getSQLState());
    }

    @Override
    public boolean isConcurrencyFailure(SQLException e) {
        int code = e.getErrorCode();
        return code == 90131 || code == 50200 || code == 40001 || "40001".equals(e.getSQLState());
    }

    /**
     * H2's ALTER TABLE rebuilds the table: a statement running beside it may also fail with a general error (50000)
     * on the table it replaced; {@link SqlErrors} counts this only when the schema did change.
     */
    @Override
    public boolean isMissingObject(SQLException e) {
        int code = e.getErrorCode();
        return code == 42122 || code == 42102 || code == 42103 || code == 42104 || code == 50000;
    }

    @Override
    public boolean isForeignKeyViolation(SQLException e) {
        String state = e.getSQLState();
        return e.getErrorCode() == 23506 || e.getErrorCode() == 23503 || "23503".equals(state)
                || "23506".equals(state);
    }

    @Override
    public boolean isRowTooLarge(SQLException e) {
        return false;
    }

    @Override
    public void prepareHostConnection(DSLContext dsl) {
        // nothing to set
    }

    @Override
    public boolean serializesWriters() {
        return true;
    }

    @Override
    public boolean foreignKeyCheckLocksTarget() {
        return false;
    }

    @Override
    public boolean transactionalDdl() {
        return false;
    }

    @Override
    public boolean takesSequencesInOneStatement() {
        return false;
    }

    @Override
    public boolean supportsWritableCtes() {
        return false;
    }

    @Override
    public @Nullable String metadataSchema(Connection c) throws SQLException {
        return c.getSchema();
    }

    @Override
    public int maxColumns() {
        return MAX_COLUMNS;
    }

    @Override
    public int droppedColumns(DSLContext ddl, RecordTable table) {
        return 0;
    }

    @Override
    public void checkRowSize(ObjectType type, @Nullable String field, RecordTable table) {
        // no row limit CRMKit's columns reach
    }

    @Override
    public boolean claimsJobsInOneStatement() {
        return false;
    }

    @Override
    public boolean appliesLimitBeforeSkipLocked() {
        return true;
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
        return false;
    }

    @Override
    public BulkRows bulkRows() {
        return bulkRows;
    }
}
