package org.crmkit.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.crmkit.error.StorageException;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;

/**
 * DDL that writers do not wait for, on PostgreSQL and MariaDB: what {@link SchemaDdl} runs when a schema change
 * adds, changes or deletes a field of a table that may hold a million rows while others write to it.
 *
 * <ul>
 *   <li><b>Index builds</b> do not lock writers out. PostgreSQL: {@code CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT
 *       EXISTS}, after dropping an invalid index of the same name that a build cut off earlier left behind (IF NOT
 *       EXISTS would keep it); a build that fails drops its invalid index again. MariaDB: {@code CREATE INDEX ...
 *       ALGORITHM=INPLACE LOCK=NONE}, so that the server refuses rather than quietly copying the table under a
 *       lock.
 *   <li><b>Foreign keys</b> of a new reference column do not scan the table under a write lock. PostgreSQL: added
 *       {@code NOT VALID}, then validated ({@code VALIDATE CONSTRAINT} takes a lock writers pass). MariaDB: added
 *       with {@code foreign_key_checks} off, which lets InnoDB add it in place; the column is new, so it holds no
 *       value to check.
 *   <li><b>Everything else</b> that needs a moment's exclusive lock (adding or dropping a column, dropping an index
 *       or table, the brief steps above) waits for it a bounded time only ({@link #briefly}): writers queue behind
 *       a waiting DDL statement, so an unbounded wait behind one long transaction would stall every writer. The
 *       statement gives up after {@link #PG_LOCK_WAIT_MS} ms on PostgreSQL ({@code lock_timeout}) or 1 s on
 *       MariaDB ({@code WAIT 1}, {@code lock_wait_timeout}, whole seconds only) and is tried again after a pause,
 *       for up to {@link #MAX_WAIT_MS} ms in all. Every statement {@link SchemaDdl} runs is idempotent, so a
 *       retry is safe.
 * </ul>
 *
 * <p>This is one of the few classes that hand SQL text to JDBC ({@code PlainSqlBanTest}'s allowlist): jOOQ has no
 * typesafe form for {@code CONCURRENTLY}, {@code NOT VALID}, {@code ALGORITHM}/{@code LOCK}, {@code WAIT} or
 * session settings. The text is fixed keywords around names that jOOQ renders from {@code DSL.name(...)} (quoted),
 * and no value: nothing a caller passes can reach it.
 */
final class OnlineDdl {
    /** How long a PostgreSQL statement waits for a lock writers also need before it gives up and retries. */
    static final long PG_LOCK_WAIT_MS = 200;
    /** How long, in all, a statement keeps retrying before the schema change fails. */
    static final long MAX_WAIT_MS = 120_000;

    private final DatabaseStrategy database;
    private final Dialect dialect;

    OnlineDdl(DatabaseStrategy database) {
        if (!database.changesSchemaOnline()) {
            throw new IllegalArgumentException(database.dialect().shortName() + " has no online DDL");
        }
        this.database = database;
        this.dialect = database.dialect();
    }

    /** Creates an index unless it exists, without locking writers out. */
    void createIndex(DSLContext ddl, Table<?> table, Name index, boolean unique, Name... columns) {
        StringBuilder cols = new StringBuilder();
        for (Name c : columns) {
            cols.append(cols.isEmpty() ? "" : ", ").append(ddl.render(c));
        }
        String head = "create " + (unique ? "unique " : "") + "index ";
        String name = ddl.render(index);
        if (dialect == Dialect.POSTGRES) {
            if (invalidIndex(ddl, name)) {
                execute(ddl, "drop index concurrently if exists " + name);
            }
            try {
                execute(ddl, head + "concurrently if not exists " + name + " on " + ddl.render(table) + " ("
                        + cols + ")");
            } catch (RuntimeException e) {
                try {
                    execute(ddl, "drop index concurrently if exists " + name);
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
        } else {
            String sql = head + "if not exists " + name + " on " + ddl.render(table) + " (" + cols
                    + ") wait 1 algorithm=inplace lock=none";
            retrying(() -> execute(ddl, sql));
        }
    }

    /** Adds a foreign key on a column just added (so holding no value yet), without a scan under a write lock. */
    void addForeignKey(DSLContext ddl, Table<?> table, Name constraint, Name column, Name target) {
        String add = "alter table " + ddl.render(table) + (dialect == Dialect.MARIADB ? " wait 1" : "")
                + " add constraint " + ddl.render(constraint) + " foreign key (" + ddl.render(column)
                + ") references " + ddl.render(target) + " (" + ddl.render(org.jooq.impl.DSL.name("id")) + ")";
        if (dialect == Dialect.POSTGRES) {
            briefly(ddl, () -> execute(ddl, add + " not valid"));
            execute(ddl, "alter table " + ddl.render(table) + " validate constraint " + ddl.render(constraint));
        } else {
            execute(ddl, "set foreign_key_checks = 0");
            try {
                retrying(() -> execute(ddl, add + ", algorithm=inplace, lock=none"));
            } finally {
                execute(ddl, "set foreign_key_checks = 1");
            }
        }
    }

    /**
     * Runs {@code statement}, whose locks writers also need, waiting a bounded time for them and retrying after a
     * pause when it gave up (see the class comment).
     */
    void briefly(DSLContext ddl, Runnable statement) {
        String bound = dialect == Dialect.POSTGRES ? "set lock_timeout = " + PG_LOCK_WAIT_MS
                : "set session lock_wait_timeout = 1";
        String unbound = dialect == Dialect.POSTGRES ? "reset lock_timeout" : "set session lock_wait_timeout = default";
        execute(ddl, bound);
        try {
            retrying(statement);
        } finally {
            execute(ddl, unbound);
        }
    }

    private void retrying(Runnable statement) {
        long deadline = System.nanoTime() + MAX_WAIT_MS * 1_000_000;
        long pause = 50;
        while (true) {
            try {
                statement.run();
                return;
            } catch (RuntimeException e) {
                if (!isLockWaitTimeout(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while waiting to change a table", e);
            }
            pause = Math.min(pause * 2, 1_000);
        }
    }

    /**
     * Lets go of the snapshot the last query of {@code transaction} left with its open result portal, so that a
     * concurrent index build on another connection does not wait for this transaction (it waits for every
     * transaction holding a snapshot older than its own). pgjdbc keeps the unnamed portal of the last query until
     * the next one; {@code SHOW} replaces it and takes no snapshot. Only PostgreSQL builds indexes this way.
     */
    void releaseSnapshot(DSLContext transaction) {
        if (dialect == Dialect.POSTGRES) {
            execute(transaction, "show transaction_isolation");
        }
    }

    /** Whether a statement gave up waiting for a lock (and may be tried again). */
    private boolean isLockWaitTimeout(Throwable e) {
        SQLException sql = SqlErrors.sqlCause(e);
        return sql != null && database.isLockWaitTimeout(sql);
    }

    /** Whether PostgreSQL holds an index of this (rendered) name that a cut-off concurrent build left invalid. */
    private static boolean invalidIndex(DSLContext ddl, String renderedName) {
        return ddl.connectionResult(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "select not indisvalid from pg_index where indexrelid = to_regclass(?)")) {
                s.setString(1, renderedName);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    private static void execute(DSLContext ddl, String sql) {
        ddl.connection(c -> run(c, sql));
    }

    private static void run(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new DataAccessException("online DDL failed", e);
        }
    }
}
