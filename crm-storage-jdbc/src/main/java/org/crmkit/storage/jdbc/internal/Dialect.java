package org.crmkit.storage.jdbc.internal;

import java.util.List;
import java.util.Locale;
import org.crmkit.error.ConfigurationException;
import org.jooq.DataType;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * What differs between the databases CRMKit runs on, beyond what jOOQ's own dialects already render: column
 * types that keep CRMKit's value semantics (binary text order, long text), whether DDL is transactional, and
 * how each database reports the errors CRMKit maps to typed exceptions.
 */
public enum Dialect {
    H2(SQLDialect.H2, "h2", false, "migration/h2"),
    POSTGRES(SQLDialect.POSTGRES, "postgresql", true, "migration/postgresql"),
    MARIADB(SQLDialect.MARIADB, "mariadb", false, "migration/mariadb");

    private final SQLDialect sqlDialect;
    private final String shortName;
    private final boolean transactionalDdl;
    private final String migrationFolder;

    Dialect(SQLDialect sqlDialect, String shortName, boolean transactionalDdl, String migrationFolder) {
        this.sqlDialect = sqlDialect;
        this.shortName = shortName;
        this.transactionalDdl = transactionalDdl;
        this.migrationFolder = migrationFolder;
    }

    /** The dialect of a database, from {@code DatabaseMetaData.getDatabaseProductName()}. */
    public static Dialect ofProduct(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return H2;
        }
        if (p.contains("postgres")) {
            return POSTGRES;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        throw new ConfigurationException(List.of("CRMKit's JDBC storage runs on H2, PostgreSQL and MariaDB/MySQL, "
                + "not on " + productName));
    }

    public SQLDialect sqlDialect() {
        return sqlDialect;
    }

    /** The storage's short name ("h2", "postgresql", "mariadb"). */
    public String shortName() {
        return shortName;
    }

    /**
     * Whether DDL runs inside a transaction and rolls back with it (PostgreSQL); H2 and MariaDB commit
     * implicitly around DDL, so schema changes there go through the redo log in {@code crmkit_schema_pending}.
     */
    public boolean transactionalDdl() {
        return transactionalDdl;
    }

    /** Flyway location of this dialect's migrations for the system tables. */
    public String migrationLocation() {
        return "classpath:org/crmkit/storage/jdbc/" + migrationFolder;
    }

    /**
     * A text column for values of at most {@code length} code points (CRMKit's length rule), in binary order. H2
     * counts UTF-16 units, so its columns are twice as long: a value of emoji still fits.
     */
    public DataType<String> text(int length) {
        return switch (this) {
            case H2 -> SQLDataType.VARCHAR(length * 2);
            case POSTGRES -> SQLDataType.VARCHAR(length).collation(DSL.collation(DSL.name("C")));
            case MARIADB -> length > 4000 ? longText()
                    : SQLDataType.VARCHAR(length).collation(DSL.collation(DSL.name("utf8mb4_nopad_bin")));
        };
    }

    /**
     * MariaDB sorts TEXT values, and VARCHAR values in a filesort, by their first {@code max_sort_length} bytes only
     * (1,024 by default): values alike for that long came back in any order and keyset pages, which compare whole
     * values, skipped or repeated rows. CRMKit's sessions sort by the whole value of any sortable field (text holds
     * at most 4,000 code points, 16,000 bytes): the pool CRMKit opens sets it for each session
     * ({@link #MARIADB_SESSION_VARIABLES}), a host's DataSource gets a {@code SET} when a connection is taken.
     */
    public static final String MARIADB_SORT_LENGTH_VARIABLE = "max_sort_length";

    /** The bytes of a value MariaDB sorts by (see {@link #MARIADB_SORT_LENGTH_VARIABLE}). */
    public static final int MARIADB_SORT_BYTES = 65_536;

    /** MariaDB Connector/J's {@code sessionVariables} for the pool CRMKit opens. */
    public static final String MARIADB_SESSION_VARIABLES = MARIADB_SORT_LENGTH_VARIABLE + "=" + MARIADB_SORT_BYTES;

    /**
     * A text column for a field without an index or unique constraint. MariaDB gets TEXT, kept off the row when the
     * row is full: a VARCHAR counts its full byte length towards MariaDB's 65,535-byte row limit, so only about 59
     * VARCHAR(255) columns fit in a table. CRMKit checks the length itself; H2 and PostgreSQL keep {@link #text}.
     */
    public DataType<String> unindexedText(int length) {
        return this == MARIADB ? longText() : text(length);
    }

    /** Text without a practical length limit (long text fields, multi-picklists), binary order too. */
    public DataType<String> longText() {
        return switch (this) {
            case H2 -> SQLDataType.VARCHAR(1_000_000_000);
            case POSTGRES -> SQLDataType.CLOB.collation(DSL.collation(DSL.name("C")));
            case MARIADB -> SQLDataType.CLOB.collation(DSL.collation(DSL.name("utf8mb4_nopad_bin")));
        };
    }

    /** Whether an exception's SQL state or vendor code says a unique constraint was violated. */
    public boolean isUniqueViolation(java.sql.SQLException e) {
        String state = e.getSQLState();
        return switch (this) {
            case H2 -> e.getErrorCode() == 23505 || "23505".equals(state);
            case POSTGRES -> "23505".equals(state);
            case MARIADB -> e.getErrorCode() == 1062;
        };
    }

    /**
     * Whether an exception says the transaction lost a race it could win on retry: a serialization failure, a
     * deadlock, a lock timeout, or H2's concurrent update.
     */
    public boolean isConcurrencyFailure(java.sql.SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        return switch (this) {
            case H2 -> code == 90131 || code == 50200 || code == 40001 || "40001".equals(state);
            case POSTGRES -> "40001".equals(state) || "40P01".equals(state) || "55P03".equals(state);
            case MARIADB -> code == 1213 || code == 1205 || "40001".equals(state);
        };
    }

    /** Whether an exception says a column or table the statement names does not exist. */
    public boolean isMissingObject(java.sql.SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        return switch (this) {
            // H2's ALTER TABLE rebuilds the table: a statement running beside it may also fail with a general
            // error (50000) on the table it replaced; SqlErrors counts this only when the schema did change
            case H2 -> code == 42122 || code == 42102 || code == 42103 || code == 42104 || code == 50000;
            case POSTGRES -> "42703".equals(state) || "42P01".equals(state);
            case MARIADB -> code == 1054 || code == 1146;
        };
    }

    /** Whether an exception says a foreign key was violated (a reference to a record that does not exist). */
    public boolean isForeignKeyViolation(java.sql.SQLException e) {
        String state = e.getSQLState();
        return switch (this) {
            case H2 -> e.getErrorCode() == 23506 || e.getErrorCode() == 23503 || "23503".equals(state)
                    || "23506".equals(state);
            case POSTGRES -> "23503".equals(state);
            case MARIADB -> e.getErrorCode() == 1452 || e.getErrorCode() == 1451;
        };
    }
}
