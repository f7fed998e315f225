package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.crmkit.schema.ObjectType;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;

/**
 * Everything CRMKit does differently on one database, beyond what jOOQ's {@link org.jooq.SQLDialect} already
 * renders: one implementation per database ({@link H2Strategy}, {@link PostgresStrategy}, {@link MariaDbStrategy}),
 * chosen once per store from its {@link Dialect} ({@link Dialect#strategy()}), as db-scheduler picks one
 * {@code JdbcCustomization} per database. The rest of the storage asks one of these named questions instead of
 * testing which database it runs on; each method says why the databases differ. A new database is a new
 * implementation, plus its Flyway migrations and a {@link Dialect} constant.
 */
public sealed interface DatabaseStrategy permits H2Strategy, PostgresStrategy, MariaDbStrategy {
    /** The database this strategy is for (its jOOQ dialect, short name and migrations). */
    Dialect dialect();

    // ---- column types ---------------------------------------------------------------------------------------

    /**
     * A text column for values of at most {@code length} code points (CRMKit's length rule), in binary order. The
     * databases count length differently (H2 in UTF-16 units) and spell binary order differently (a collation on
     * PostgreSQL and MariaDB, the default on H2).
     */
    DataType<String> text(int length);

    /**
     * A text column for a field without an index or unique constraint. Only MariaDB differs from {@link #text}:
     * there a VARCHAR counts its full byte length towards the 65,535-byte row limit, so it gets TEXT, kept off the
     * row when the row is full (CRMKit checks the length itself).
     */
    DataType<String> unindexedText(int length);

    /** Text without a practical length limit (long text fields, multi-picklists), in binary order too. */
    DataType<String> longText();

    /**
     * An indexable column for the ciphertext of an encrypted unique or indexed field ({@code EncryptedText}: plain
     * ASCII, {@code length} characters at most). MariaDB makes it ASCII so its index key stays within InnoDB's
     * 3,072-byte limit; the others take {@link #text}.
     */
    default DataType<String> asciiText(int length) {
        return text(length);
    }

    /**
     * Whether a text column's type changes when its field gains or loses an index or unique constraint (MariaDB,
     * see {@link #unindexedText}), so that changing those flags also alters the column.
     */
    boolean textTypeFollowsIndex();

    // ---- text comparison -------------------------------------------------------------------------------------

    /**
     * {@code text} ready for {@code LOWER(...)} with Unicode case folding. PostgreSQL's "C" collation folds ASCII
     * only, so it is compared under ICU's root collation there; H2 and MariaDB fold Unicode as they are.
     */
    org.jooq.Field<String> forCaseFolding(org.jooq.Field<String> text);

    /**
     * {@code text} compared code point by code point. A cast to text on MariaDB takes the connection's collation,
     * which ignores case and accents ({@code é = e}, {@code ß = ss}), so it gets the binary collation; H2 and
     * PostgreSQL ("C") compare exactly already.
     */
    org.jooq.Field<String> exact(org.jooq.Field<String> text);

    // ---- errors (each database reports them with its own SQL states and vendor codes) -----------------------

    /** Whether an exception's SQL state or vendor code says a unique constraint was violated. */
    boolean isUniqueViolation(SQLException e);

    /**
     * Whether an exception says the transaction lost a race it could win on retry: a serialization failure, a
     * deadlock, a lock timeout, or H2's concurrent update.
     */
    boolean isConcurrencyFailure(SQLException e);

    /**
     * Whether {@code e} says a statement gave up waiting for a lock (PostgreSQL's {@code lock_timeout}, MariaDB's
     * {@code lock_wait_timeout} or {@code WAIT n}): one kind of {@link #isConcurrencyFailure}, which
     * {@link OnlineDdl} retries.
     */
    default boolean isLockWaitTimeout(SQLException e) {
        return false;
    }

    /** Whether an exception says a column or table the statement names does not exist. */
    boolean isMissingObject(SQLException e);

    /** Whether an exception says a foreign key was violated (a reference to a record that does not exist). */
    boolean isForeignKeyViolation(SQLException e);

    /**
     * Whether an exception says the record's values do not fit in one row. Only MariaDB (InnoDB) has such a limit
     * below CRMKit's own length rules.
     */
    boolean isRowTooLarge(SQLException e);

    /**
     * Whether an exception says the database could not be reached for a while, so the same call is worth retrying
     * (mapped to {@link org.crmkit.error.StorageUnavailableException}): the JDBC classes for lost and refused
     * connections ({@link java.sql.SQLTransientConnectionException}, which HikariCP throws when no connection became
     * free in time, {@link java.sql.SQLNonTransientConnectionException}, {@link java.sql.SQLRecoverableException})
     * and SQL state class 08 (connection exception) on every database. PostgreSQL and MariaDB add their own states
     * and codes for a server shutting down, starting up or killing the session.
     */
    default boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLRecoverableException
                || state != null && state.startsWith("08");
    }

    // ---- connections and transactions -----------------------------------------------------------------------

    /**
     * Sets up a connection taken from a host's DataSource, whose sessions CRMKit did not open with its own settings.
     * MariaDB sorts by a prefix of each value unless told otherwise ({@link MariaDbStrategy#SORT_LENGTH_VARIABLE});
     * the others need nothing.
     */
    void prepareHostConnection(DSLContext dsl);

    /**
     * Whether writing transactions run one at a time (the store's write lock and the {@code change_log} lock row,
     * taken on the first write): on H2, whose MVCC lets concurrent writers of one row lose updates now and then
     * (two {@code UPDATE ... WHERE id = ? AND version = ?} both succeeding, or two transactions reading the same
     * lock counter), which plain JDBC with 16 writers shows, while one writer at a time never did. PostgreSQL and
     * MariaDB write concurrently.
     */
    boolean serializesWriters();

    /**
     * Whether the database locks the referenced row when it checks a foreign key. H2 checks against its snapshot
     * without locking, so a concurrent purge of the target could commit beside the new reference: CRMKit locks the
     * referenced records itself there.
     */
    boolean foreignKeyCheckLocksTarget();

    /**
     * Whether DDL runs inside a transaction and rolls back with it (PostgreSQL); H2 and MariaDB commit implicitly
     * around DDL, so schema changes there go through the redo log in {@code crmkit_schema_pending}.
     */
    boolean transactionalDdl();

    /**
     * Whether the change log's sequences are taken with one {@code UPDATE ... RETURNING} of the lock row
     * (PostgreSQL). MariaDB cannot return from an UPDATE, and H2's emulation ({@code SELECT FROM FINAL TABLE
     * (UPDATE ...)}) returned a counter another writer had taken too, under load: both run the UPDATE, then read
     * the counter under the row lock it took.
     */
    boolean takesSequencesInOneStatement();

    /**
     * How this database hands out the change log's sequences: the lock row's counter, held until commit, by
     * default; PostgreSQL lets writers commit side by side ({@link ConcurrentSequencer}).
     */
    default ChangeLogSequencer changeLogSequencer(SystemTables sys, Naming naming) {
        return new LockRowSequencer(sys, takesSequencesInOneStatement());
    }

    /**
     * Whether a WITH clause may hold {@code UPDATE ... RETURNING} (PostgreSQL's data-modifying CTEs), so that a
     * transaction whose only write is one update sends it with its change-log rows in a single statement. H2 and
     * MariaDB allow only queries in WITH.
     */
    boolean supportsWritableCtes();

    // ---- schema DDL -----------------------------------------------------------------------------------------

    /**
     * The schema to name in {@code DatabaseMetaData} lookups: the connection's schema, except on MariaDB, where
     * a database is a catalog and the schema argument must stay null.
     */
    @Nullable
    String metadataSchema(Connection c) throws SQLException;

    /** The most columns a record table may have (PostgreSQL and H2 1,600; MariaDB fewer, see its strategy). */
    int maxColumns();

    /**
     * Columns of deleted fields the database still counts towards {@link #maxColumns}: PostgreSQL keeps dropped
     * columns (pg_attribute.attisdropped) until the table is rewritten; the others drop them at once (0).
     */
    int droppedColumns(DSLContext ddl, RecordTable table);

    /**
     * Refuses ({@link org.crmkit.error.SchemaException} {@code INVALID_DEFINITION}) a table whose columns pass the
     * database's row size limit: MariaDB's 65,535 bytes of VARCHAR and fixed-size columns; the others have no
     * limit CRMKit's columns can reach.
     */
    void checkRowSize(ObjectType type, @Nullable String field, RecordTable table);

    // ---- job queue ------------------------------------------------------------------------------------------

    /**
     * Whether jobs are claimed in one {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)
     * RETURNING ...} (PostgreSQL); MariaDB has no RETURNING on UPDATE, so there a locking SELECT and an UPDATE run
     * in one transaction.
     */
    boolean claimsJobsInOneStatement();

    /**
     * Whether {@code LIMIT} is applied before {@code SKIP LOCKED} skips rows (H2): a second claimer would find
     * nothing, so H2 first selects a few times more candidates, then locks those by id.
     */
    boolean appliesLimitBeforeSkipLocked();

    /**
     * The job table as a claim's locking {@code SELECT} reads it. MariaDB must be told to walk the due index: on a
     * small queue it prefers a full scan and a filesort, which locks every due row, so that {@code SKIP LOCKED}
     * leaves concurrent claimers nothing although most jobs are free. The others read the table as it is.
     */
    Table<Record> claimSource(Table<Record> jobs, Name dueIndex);

    /**
     * Whether {@code UPDATE ... RETURNING} gives the updated row: natively on PostgreSQL, through jOOQ's emulation
     * on H2; MariaDB has none, so a counter there is raised, then read back.
     */
    boolean returnsFromUpdate();

    /**
     * Whether the job queue's hot statements may run as {@link RenderedStatement}s (rendered once, bound through
     * JDBC): PostgreSQL only, whose driver binds the values used there with {@code setObject} as jOOQ does.
     */
    boolean runsRenderedStatements();

    /**
     * Whether an {@code in} filter binds its values as one array ({@code col = ANY(?)}) rather than one bind each:
     * PostgreSQL only. Its generic plan for a statement prepared with {@code IN (?, ?, ...)} builds the array of
     * binds again for every row it filters (a quarter of a million-deal pipeline report); one array bind is built
     * once.
     */
    default boolean bindsInListsAsArrays() {
        return false;
    }

    /**
     * How many rows of one table are inserted at once (a restore's records and change log, an import batch's
     * records, change-log entries and ledger rows): a prepared {@code INSERT} sent as one JDBC batch, unless the
     * database has a faster way ({@code COPY} on PostgreSQL).
     */
    default BulkRows bulkRows() {
        return BatchRows.INSTANCE;
    }

    /**
     * Whether a restore loads the rows first and builds the secondary indexes after them, as {@code pg_restore}
     * does: one sort per index instead of an index insert per row. PostgreSQL only; on MariaDB a reference's index
     * cannot be dropped under its foreign key.
     */
    default boolean buildsIndexesAfterLoad() {
        return false;
    }

    /**
     * Whether schema changes that touch a field's table run their DDL so that writers do not wait for it
     * ({@link OnlineDdl}): PostgreSQL and MariaDB. H2 is embedded and serializes writers anyway.
     */
    default boolean changesSchemaOnline() {
        return false;
    }
}
