package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.crmkit.error.SchemaException;
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
 * CRMKit on MariaDB (and MySQL): binary collations, TEXT for unindexed text to stay within the row limit, the
 * whole value in sorts, no {@code RETURNING} on UPDATE, DDL outside the transaction (see {@link DatabaseStrategy}
 * for why each answer differs from the other databases).
 */
final class MariaDbStrategy implements DatabaseStrategy {
    /**
     * MariaDB sorts TEXT values, and VARCHAR values in a filesort, by their first {@code max_sort_length} bytes only
     * (1,024 by default): values alike for that long came back in any order and keyset pages, which compare whole
     * values, skipped or repeated rows. CRMKit's sessions sort by the whole value of any sortable field (text holds
     * at most 4,000 code points, 16,000 bytes): the pool CRMKit opens sets it for each session
     * ({@link #SESSION_VARIABLES}), a host's DataSource gets a {@code SET} when a connection is taken
     * ({@link #prepareHostConnection}).
     */
    static final String SORT_LENGTH_VARIABLE = "max_sort_length";

    /** The bytes of a value MariaDB sorts by (see {@link #SORT_LENGTH_VARIABLE}). */
    static final int SORT_BYTES = 65_536;

    /** MariaDB Connector/J's {@code sessionVariables} for the pool CRMKit opens. */
    static final String SESSION_VARIABLES = SORT_LENGTH_VARIABLE + "=" + SORT_BYTES;

    /**
     * Columns of a record table: InnoDB checks that a row of off-page pointers fits in half a 16 kB page.
     */
    static final int MAX_COLUMNS = 370;

    /** MariaDB's row limit, for the bytes of VARCHAR and fixed-size columns (TEXT counts 12). */
    private static final int MAX_ROW_BYTES = 65_535;

    /** MariaDB's "Row size too large": the short values of a record overflow InnoDB's row. */
    private static final int ER_TOO_BIG_ROWSIZE = 1118;

    @Override
    public Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    public DataType<String> text(int length) {
        return length > 4000 ? longText()
                : SQLDataType.VARCHAR(length).collation(DSL.collation(DSL.name("utf8mb4_nopad_bin")));
    }

    @Override
    public DataType<String> asciiText(int length) {
        return length > 4000 ? longText() : SQLDataType.VARCHAR(length).characterSet(DSL.characterSet("ascii"))
                .collation(DSL.collation(DSL.name("ascii_bin")));
    }

    @Override
    public DataType<String> unindexedText(int length) {
        return longText();
    }

    @Override
    public DataType<String> longText() {
        return SQLDataType.CLOB.collation(DSL.collation(DSL.name("utf8mb4_nopad_bin")));
    }

    @Override
    public boolean textTypeFollowsIndex() {
        return true;
    }

    @Override
    public org.jooq.Field<String> forCaseFolding(org.jooq.Field<String> text) {
        return text;
    }

    @Override
    public org.jooq.Field<String> exact(org.jooq.Field<String> text) {
        return text.collate(DSL.collation(DSL.name("utf8mb4_bin")));
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return e.getErrorCode() == 1062;
    }

    @Override
    public boolean isConcurrencyFailure(SQLException e) {
        int code = e.getErrorCode();
        return code == 1213 || code == 1205 || "40001".equals(e.getSQLState());
    }

    @Override
    public boolean isMissingObject(SQLException e) {
        int code = e.getErrorCode();
        return code == 1054 || code == 1146;
    }

    @Override
    public boolean isForeignKeyViolation(SQLException e) {
        return e.getErrorCode() == 1452 || e.getErrorCode() == 1451;
    }

    @Override
    public boolean isRowTooLarge(SQLException e) {
        return e.getErrorCode() == ER_TOO_BIG_ROWSIZE;
    }

    /**
     * Besides class 08: the server is shutting down ({@code 1053} ER_SERVER_SHUTDOWN), killed the session
     * ({@code 1927} ER_CONNECTION_KILLED; its state 70100 is also that of a query killed alone, 1317, which is not),
     * or the client lost or could not open the connection
     * ({@code 2002}, {@code 2003}, {@code 2006} server gone away, {@code 2013} lost during a query).
     */
    @Override
    public boolean isConnectionFailure(SQLException e) {
        int code = e.getErrorCode();
        return DatabaseStrategy.super.isConnectionFailure(e) || code == 1053 || code == 1927 || code == 2002
                || code == 2003 || code == 2006 || code == 2013;
    }

    /** The host's pool: its sessions were not opened with {@link #SESSION_VARIABLES}. */
    @Override
    public void prepareHostConnection(DSLContext dsl) {
        dsl.set(DSL.name(SORT_LENGTH_VARIABLE), DSL.inline(SORT_BYTES)).execute();
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
    public @Nullable String metadataSchema(Connection c) {
        return null;
    }

    @Override
    public int maxColumns() {
        return MAX_COLUMNS;
    }

    @Override
    public int droppedColumns(DSLContext ddl, RecordTable table) {
        return 0;
    }

    /** The VARCHAR columns of indexed text fields, and fixed-size columns, within the 65,535-byte row limit. */
    @Override
    public void checkRowSize(ObjectType type, @Nullable String field, RecordTable t) {
        long bytes = 0;
        for (org.jooq.Field<?> c : t.selectList()) {
            bytes += rowBytes(c.getDataType());
        }
        if (bytes > MAX_ROW_BYTES) {
            throw new SchemaException(SchemaException.Problem.INVALID_DEFINITION, type.name(), field, "a MariaDB "
                    + "row holds at most " + MAX_ROW_BYTES + " bytes of columns; this change needs " + bytes
                    + " (an indexed or unique text field takes 4 bytes per character of its maximum length)");
        }
    }

    /** What a column counts towards MariaDB's 65,535-byte row limit. */
    private static long rowBytes(DataType<?> type) {
        if (type.isLob()) {
            return 12;
        }
        if (type.isString()) {
            return 4L * type.length() + 2;
        }
        return 16;
    }

    @Override
    public boolean claimsJobsInOneStatement() {
        return false;
    }

    @Override
    public boolean appliesLimitBeforeSkipLocked() {
        return false;
    }

    @Override
    public Table<Record> claimSource(Table<Record> jobs, Name dueIndex) {
        return jobs.forceIndex(dueIndex.last());
    }

    @Override
    public boolean returnsFromUpdate() {
        return false;
    }

    @Override
    public boolean runsRenderedStatements() {
        return false;
    }

    @Override
    public boolean changesSchemaOnline() {
        return true;
    }

    @Override
    public boolean isLockWaitTimeout(SQLException e) {
        return e.getErrorCode() == 1205;
    }
}
